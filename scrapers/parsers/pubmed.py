"""PubMed E-utilities XML: esearch results and efetch `PubmedArticleSet` documents.

Pure functions of the response bytes. Articles are read with `lxml.etree.iterparse` and
cleared as they go, so a 200-article efetch page (or a large exported file) never sits in
memory twice. An article without a usable PMID is dropped with a counted reason; a document
that stops being well-formed keeps the articles read before the break.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_store import StudyIn

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    start=1)}
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_MEDLINE_DATE = re.compile(r"^\s*(\d{4})(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2}))?)?")


class MalformedArticle(ValueError):
    """An article that cannot become a study record; `reason` is a short counted label."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class SearchResult:
    """An esearch answer: the hit count, the history-server keys and any errors."""

    count: int
    retmax: int
    retstart: int
    ids: list[str] = field(default_factory=list)
    query_key: str | None = None
    webenv: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _parser_kwargs() -> dict[str, bool]:
    # Untrusted input: no DTD loading, no network, no entity expansion beyond XML's own.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def parse_esearch(body: bytes) -> SearchResult:
    """Parse an esearch XML answer. Raises ValueError when it is not an eSearchResult."""
    try:
        root = etree.fromstring(body, etree.XMLParser(**_parser_kwargs()))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"esearch answer is not XML: {exc}") from exc
    if root.tag != "eSearchResult":
        raise ValueError(f"expected eSearchResult, got {root.tag}")
    errors = [f"{el.tag}: {flatten(el)}" for el in root.findall("ErrorList/*")]
    errors += [flatten(el) for el in root.findall("ERROR")]
    warnings = [f"{el.tag}: {flatten(el)}" for el in root.findall("WarningList/*")]
    return SearchResult(
        count=_int(root.findtext("Count")) or 0,
        retmax=_int(root.findtext("RetMax")) or 0,
        retstart=_int(root.findtext("RetStart")) or 0,
        ids=[t for t in (normalise_pmid(el.text) for el in root.findall("IdList/Id")) if t],
        query_key=(root.findtext("QueryKey") or "").strip() or None,
        webenv=(root.findtext("WebEnv") or "").strip() or None,
        errors=errors,
        warnings=warnings,
    )


def flatten(element: etree._Element | None) -> str:
    """The text of a mixed-content element (`<i>`, `<sup>`, MathML) on one line."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, parts, top=True)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _collect(element: etree._Element, parts: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.startswith("{" + MATHML_NS + "}"):
        # MathML is laid out with indentation; keep only the symbols, glued together.
        parts.append("".join(t.strip() for t in element.itertext()))
    else:
        if isinstance(element.tag, str) and element.text:
            parts.append(element.text)
        for child in element:
            _collect(child, parts)
    if not top and element.tail:
        parts.append(element.tail)


def _int(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text else None
    except ValueError:
        return None


def _month(text: str | None) -> int | None:
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return _MONTHS.get(text[:3].lower())


def parse_pub_date(pub_date: etree._Element | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a `PubDate`/`ArticleDate`: Year/Month/Day, Season or MedlineDate.

    A season keeps only the year (a season spans months, and "Winter" spans two years); a
    MedlineDate range like "1998 Dec-1999 Jan" gives its start.
    """
    if pub_date is None:
        return None, None, None
    year = _int(pub_date.findtext("Year"))
    if year is not None:
        month = _month(pub_date.findtext("Month"))
        day = _int(pub_date.findtext("Day")) if month else None
        if day is not None and not 1 <= day <= 31:
            day = None
        return year, month, day
    medline = pub_date.findtext("MedlineDate")
    if medline:
        match = _MEDLINE_DATE.match(medline)
        if match:
            month = _month(match.group(2))
            day = _int(match.group(3)) if month else None
            return int(match.group(1)), month, day
        found = _YEAR.search(medline)
        if found:
            return int(found.group(1)), None, None
    return None, None, None


def _author(author: etree._Element) -> str | None:
    if author.get("ValidYN", "Y") == "N":
        return None
    collective = flatten(author.find("CollectiveName"))
    if collective:
        return collective
    family = flatten(author.find("LastName"))
    given = flatten(author.find("ForeName")) or flatten(author.find("Initials"))
    name = f"{given} {family}".strip()
    return name or None


def _abstract(article: etree._Element) -> str | None:
    sections = []
    for part in article.findall("Abstract/AbstractText"):
        text = flatten(part)
        if not text:
            continue
        label = (part.get("Label") or "").strip()
        sections.append(f"{label}: {text}" if label else text)
    return "\n".join(sections) or None


def parse_article(element: etree._Element) -> StudyIn:
    """One `PubmedArticle` element as a study record; MalformedArticle when unusable."""
    citation, pmid, article = _citation(element)
    doi, pmcid = _article_ids(element, article)
    title = flatten(article.find("ArticleTitle")) or flatten(article.find("VernacularTitle"))
    journal = (flatten(article.find("Journal/Title"))
               or flatten(article.find("Journal/ISOAbbreviation"))
               or flatten(citation.find("MedlineJournalInfo/MedlineTA")) or None)
    year, month, day = parse_pub_date(article.find("Journal/JournalIssue/PubDate"))
    if year is None:
        year, month, day = parse_pub_date(article.find("ArticleDate"))
    authors = [name for name in (_author(a) for a in article.findall("AuthorList/Author"))
               if name]
    mesh = [flatten(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    types = [flatten(t) for t in article.findall("PublicationTypeList/PublicationType")]
    return {
        "pmid": pmid,
        "doi": doi,
        "pmcid": pmcid,
        "title": title,
        "authors": authors,
        "journal": journal,
        "pub_year": year,
        "pub_month": month,
        "pub_day": day,
        "abstract": _abstract(article),
        "mesh_terms": [m for m in mesh if m],
        "publication_types": [t for t in types if t],
        "url": PUBMED_URL.format(pmid=pmid),
    }


def _citation(element: etree._Element) -> tuple[etree._Element, str, etree._Element]:
    """The article's `MedlineCitation`, normalised PMID and `Article`; MalformedArticle when
    one is missing."""
    citation = element.find("MedlineCitation")
    if citation is None:
        raise MalformedArticle("no MedlineCitation")
    pmid_text = citation.findtext("PMID")
    if not pmid_text or not pmid_text.strip():
        raise MalformedArticle("no PMID")
    pmid = normalise_pmid(pmid_text)
    if pmid is None:
        raise MalformedArticle("bad PMID")
    article = citation.find("Article")
    if article is None:
        raise MalformedArticle("no Article")
    return citation, pmid, article


def _article_ids(element: etree._Element, article: etree._Element
                 ) -> tuple[str | None, str | None]:
    """(DOI, PMCID) from `ArticleIdList`, the DOI else from a valid `ELocationID`."""
    doi = pmcid = None
    for article_id in element.findall("PubmedData/ArticleIdList/ArticleId"):
        kind = article_id.get("IdType")
        if kind == "doi" and doi is None:
            doi = normalise_doi(article_id.text)
        elif kind == "pmc" and pmcid is None:
            pmcid = normalise_pmcid(article_id.text)
    if doi is None:
        for location in article.findall("ELocationID"):
            if location.get("EIdType") == "doi" and location.get("ValidYN", "Y") != "N":
                doi = normalise_doi(location.text)
                if doi:
                    break
    return doi, pmcid


def iter_articles(source: bytes | IO[bytes], dropped: Counter[str] | None = None,
                  on_drop: Callable[[str, int | None], None] | None = None,
                  ) -> Iterator[StudyIn]:
    """Study records from an efetch/PubMed XML document, streaming.

    `dropped` (if given) counts unusable articles by reason, and a document that is not
    well-formed as `xml syntax error` (the articles before the break are still yielded);
    `on_drop(reason, line)` hears of each, with the line the article or error is on.
    """
    counter = dropped if dropped is not None else Counter()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    context = etree.iterparse(stream, events=("end",), tag=("PubmedArticle", "PubmedBookArticle"),
                              **_parser_kwargs())
    try:
        for _event, element in context:
            try:
                if element.tag == "PubmedBookArticle":
                    raise MalformedArticle("book article")
                yield parse_article(element)
            except MalformedArticle as exc:
                counter[exc.reason] += 1
                if on_drop:
                    on_drop(exc.reason, element.sourceline)
            finally:
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        counter["xml syntax error"] += 1
        if on_drop:
            on_drop(f"xml syntax error: {exc.msg}", exc.lineno)


def parse_articles(source: bytes | IO[bytes]) -> tuple[list[StudyIn], Counter[str]]:
    """All study records of a PubMed XML document and the drop reasons."""
    dropped: Counter[str] = Counter()
    return list(iter_articles(source, dropped)), dropped
