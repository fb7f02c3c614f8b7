"""Study identifiers (DOI, PMID, PMCID) found in free text: URLs, markdown, BBCode, prose.

Every value is normalised by `models.identifiers`, the code the study importers use, so an
identifier found in a thread compares equal to the stored study's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import unquote

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid

# A DOI runs until whitespace or a character that cannot end a URL in text.
_DOI: Final = re.compile(r"\b10\.\d{4,9}/[^\s\"<>\[\]{}|\\^`]+", re.IGNORECASE)
_PMID_PATTERNS: Final = (
    re.compile(r"\bpmid\s*[:#=]?\s*(\d{1,9})\b", re.IGNORECASE),
    re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(?:\?term=)?(\d{1,9})\b", re.IGNORECASE),
    re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(?:\?term=)?(\d{1,9})\b", re.IGNORECASE),
    re.compile(r"europepmc\.org/(?:abstract|article|articles)/med/(\d{1,9})\b", re.IGNORECASE),
    re.compile(r"\bpubmed\s*(?:id)?\s*[:#]\s*(\d{1,9})\b", re.IGNORECASE),
)
_PMCID_PATTERNS: Final = (
    re.compile(r"\bpmc\s?(\d{3,10})\b", re.IGNORECASE),
    re.compile(r"europepmc\.org/(?:abstract|article|articles)/pmc/(?:pmc)?(\d{3,10})\b",
               re.IGNORECASE),
)
_TRAILING: Final = ".,;:!?'\"*_~"
_CLOSERS: Final = {")": "(", "]": "[", "}": "{", ">": "<"}
_PATH_SUFFIX: Final = re.compile(
    r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|full-text|html|meta|figures|references|"
    r"summary|reader|text|citation|suppl(?:ementary)?(?:[-_]?\w+)?)/?$", re.IGNORECASE)


@dataclass
class Identifiers:
    """The normalised identifiers of one text (or one thread)."""

    dois: set[str] = field(default_factory=set)
    pmids: set[str] = field(default_factory=set)
    pmcids: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.dois or self.pmids or self.pmcids)


def trim_doi(raw: str) -> str:
    """Strip what text puts after a DOI: punctuation, unbalanced brackets, `.pdf`, queries."""
    text = raw
    for sep in ("?", "#", "&"):
        text = text.split(sep, 1)[0]
    changed = True
    while changed and text:
        changed = False
        last = text[-1]
        unbalanced = last in _CLOSERS and text.count(_CLOSERS[last]) < text.count(last)
        if last in _TRAILING or unbalanced:
            text, changed = text[:-1], True
        elif text.lower().endswith(".pdf"):
            text, changed = text[:-4], True
        else:
            stripped = _PATH_SUFFIX.sub("", text)
            if stripped != text:
                text, changed = stripped, True
    return text


def doi_candidates(doi: str) -> list[str]:
    """`doi` and its shorter path prefixes (for DOIs followed by publisher path segments)."""
    out = [doi]
    prefix, _, rest = doi.partition("/")
    parts = rest.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        out.append(prefix + "/" + "/".join(parts[:cut]))
    return out


_PERCENT_ESCAPE: Final = re.compile(r"%[0-9A-Fa-f]{2}")


def find_identifiers(text: str) -> Identifiers:
    """Every DOI, PMID and PMCID in `text`, normalised."""
    found = Identifiers()
    if not text:
        return found
    texts = [text]
    if "%" in text and _PERCENT_ESCAPE.search(text):  # "5% minoxidil" unquotes to itself
        texts.append(unquote(text))
    for source in texts:
        if "10." in source:
            for match in _DOI.finditer(source):
                doi = normalise_doi(trim_doi(match.group(0)))
                if doi:
                    found.dois.add(doi)
        lowered = source.lower()
        if "pmid" in lowered or "pubmed" in lowered or "europepmc" in lowered:
            for pattern in _PMID_PATTERNS:
                for match in pattern.finditer(source):
                    pmid = normalise_pmid(match.group(1))
                    if pmid:
                        found.pmids.add(pmid)
        if "pmc" in lowered:
            for pattern in _PMCID_PATTERNS:
                for match in pattern.finditer(source):
                    pmcid = normalise_pmcid(match.group(1))
                    if pmcid:
                        found.pmcids.add(pmcid)
    return found
