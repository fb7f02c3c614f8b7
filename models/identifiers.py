"""Normalised study identifiers: DOI, PMID, PMCID. One place, shared by importers and linker."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

_DOI_PREFIXES = re.compile(
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)", re.IGNORECASE
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$", re.ASCII)
_PMCID_SHAPE = re.compile(r"^(?:PMC)?(\d{1,10})$", re.IGNORECASE | re.ASCII)
# Longest identifiers kept (the study columns hold 300 / 20 characters; real PMIDs have 8).
MAX_DOI_LENGTH = 300
MAX_PMID_DIGITS = 12


def normalise_doi(value: str | None) -> str | None:
    """`doi:10.1000/ABC`, `https://doi.org/10.1000/abc` -> `10.1000/abc`; None if not a DOI."""
    if not value:
        return None
    text = unquote(value.strip())
    text = _DOI_PREFIXES.sub("", text).strip()
    text = text.rstrip(".,;:)]}>'\"")
    text = text.lower()
    if len(text) > MAX_DOI_LENGTH:
        return None
    return text if _DOI_SHAPE.match(text) else None


def normalise_pmid(value: str | int | None) -> str | None:
    """`PMID: 123`, `123` -> `123`; None if not a positive integer."""
    if value is None:
        return None
    text = str(value).strip()
    text = re.sub(r"^pmid:?\s*", "", text, flags=re.IGNORECASE)
    if not text.isascii() or not text.isdigit():
        return None
    text = text.lstrip("0")
    return text if text and len(text) <= MAX_PMID_DIGITS else None


def normalise_pmcid(value: str | None) -> str | None:
    """`pmc123`, `PMC123`, `123` -> `PMC123`; None if not a PMCID."""
    if not value:
        return None
    match = _PMCID_SHAPE.match(str(value).strip())
    if not match:
        return None
    digits = match.group(1).lstrip("0")
    return f"PMC{digits}" if digits else None


# The normaliser of each identifier kind, in the order study keys prefer them.
NORMALISERS: dict[str, Callable[[Any], str | None]] = {
    "pmid": normalise_pmid, "doi": normalise_doi, "pmcid": normalise_pmcid}


def study_key(pmid: str | None, doi: str | None, pmcid: str | None, study_id: int) -> str:
    """A study's public key: `pmid:N`, else `doi:...`, else `pmcid:...`, else `id:N`."""
    if pmid:
        return f"pmid:{pmid}"
    if doi:
        return f"doi:{doi}"
    if pmcid:
        return f"pmcid:{pmcid}"
    return f"id:{study_id}"


def identifier_url(doi: str | None, pmid: str | None, pmcid: str | None) -> str | None:
    """A link to a paper from its identifiers: doi.org, else PubMed, else PMC."""
    if doi:
        return f"https://doi.org/{doi}"
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if pmcid:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"
    return None
