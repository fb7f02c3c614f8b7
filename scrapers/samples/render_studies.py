"""Render the sample study set: PubMed E-utilities XML, Semantic Scholar (papers and
reference lists) and Europe PMC JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from scrapers.samples import layout
from scrapers.samples.studies import JOURNAL, PUBMED_TERM, STUDIES

if TYPE_CHECKING:
    from scrapers.samples.generate import Writer

XML = "text/xml; charset=UTF-8"
JSON = "application/json"
WEBENV = "MCID_5a3f0c0de5a3f0c0de5a3f0c"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def esearch_xml() -> str:
    """`esearch.fcgi?usehistory=y` answer: every sample PMID, with a WebEnv."""
    ids = "".join(f"<Id>{s['pmid']}</Id>\n" for s in sorted(
        STUDIES, key=lambda s: s["pmid"], reverse=True))
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
        f"<eSearchResult><Count>{len(STUDIES)}</Count><RetMax>{len(STUDIES)}</RetMax>"
        f"<RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>{WEBENV}</WebEnv><IdList>\n"
        f"{ids}</IdList><TranslationSet/><QueryTranslation>{escape(PUBMED_TERM)}"
        "</QueryTranslation></eSearchResult>\n")


def _article(item: dict[str, Any]) -> str:
    year, month, day = item["date"]
    authors = []
    for name in item["authors"]:
        fore, _, last = name.rpartition(" ")
        initials = "".join(part[0] for part in fore.replace("-", " ").split())
        authors.append(f'<Author ValidYN="Y"><LastName>{escape(last)}</LastName>'
                       f"<ForeName>{escape(fore)}</ForeName><Initials>{initials}</Initials>"
                       "</Author>")
    sections = []
    for label, text in item["abstract"]:
        attrs = f' Label="{label}" NlmCategory="{label}"' if label else ""
        sections.append(f"<AbstractText{attrs}>{escape(text)}</AbstractText>")
    mesh = "".join(f'<MeshHeading><DescriptorName UI="D00{i:04d}" MajorTopicYN="N">'
                   f"{escape(term)}</DescriptorName></MeshHeading>"
                   for i, term in enumerate(item["mesh"]))
    ids = [f'<ArticleId IdType="pubmed">{item["pmid"]}</ArticleId>',
           f'<ArticleId IdType="doi">{item["doi"]}</ArticleId>']
    if item["pmcid"]:
        ids.append(f'<ArticleId IdType="pmc">{item["pmcid"]}</ArticleId>')
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" '
        f'IndexingMethod="Automated"><PMID Version="1">{item["pmid"]}</PMID>'
        f'<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">'
        "0000-0000</ISSN><JournalIssue CitedMedium=\"Internet\"><Volume>4</Volume>"
        f"<Issue>{month}</Issue><PubDate><Year>{year}</Year><Month>{MONTHS[month - 1]}"
        f"</Month><Day>{day:02d}</Day></PubDate></JournalIssue><Title>{escape(JOURNAL)}"
        "</Title><ISOAbbreviation>Hair Ther Rep</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(item['title'])}.</ArticleTitle>"
        f"<ELocationID EIdType=\"doi\" ValidYN=\"Y\">{item['doi']}</ELocationID>"
        f"<Abstract>{''.join(sections)}</Abstract>"
        f'<AuthorList CompleteYN="Y">{"".join(authors)}</AuthorList>'
        "<Language>eng</Language><PublicationTypeList>"
        '<PublicationType UI="D016428">Journal Article</PublicationType>'
        '<PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>'
        "</PublicationTypeList></Article><MedlineJournalInfo><Country>Sample</Country>"
        "<MedlineTA>Hair Ther Rep</MedlineTA></MedlineJournalInfo>"
        f"<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>"
        "<PubmedData><History><PubMedPubDate PubStatus=\"pubmed\">"
        f"<Year>{year}</Year><Month>{month}</Month><Day>{day}</Day></PubMedPubDate>"
        f"</History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f"{''.join(ids)}</ArticleIdList></PubmedData></PubmedArticle>\n")


def efetch_xml() -> str:
    """`efetch.fcgi?retmode=xml` answer for the whole (small) result set."""
    return (
        '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
        'PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
        + "".join(_article(s) for s in STUDIES) + "</PubmedArticleSet>\n")


def s2_paper(item: dict[str, Any]) -> dict[str, Any]:
    """A Semantic Scholar Graph API paper object with tldr and citation count."""
    year, month, day = item["date"]
    external = {"DOI": item["doi"], "PubMed": item["pmid"],
                "CorpusId": int(item["pmid"]) - 98_000_000}
    if item["pmcid"]:
        external["PubMedCentral"] = item["pmcid"].removeprefix("PMC")
    return {
        "paperId": f"{int(item['pmid']):040x}"[-40:],
        "externalIds": external,
        "url": f"https://www.semanticscholar.org/paper/{int(item['pmid']):040x}",
        "title": item["title"], "venue": JOURNAL, "year": year,
        "citationCount": item["citations"],
        "influentialCitationCount": item["citations"] // 9,
        "publicationDate": f"{year}-{month:02d}-{day:02d}",
        "journal": {"name": JOURNAL, "volume": "4"},
        "authors": [{"authorId": str(1000 + i), "name": a}
                    for i, a in enumerate(item["authors"])],
        "tldr": {"model": "tldr@v2.0.0", "text": item["tldr"]},
    }


def s2_index() -> dict[str, dict[str, Any]]:
    """Batch lookup keys (`PMID:n`, `DOI:x`, `PMCID:PMCn`, paper id) -> paper."""
    index: dict[str, dict[str, Any]] = {}
    for item in STUDIES:
        paper = s2_paper(item)
        index[f"PMID:{item['pmid']}"] = paper
        index[f"DOI:{item['doi']}"] = paper
        index[paper["paperId"]] = paper
        if item["pmcid"]:
            index[f"PMCID:{item['pmcid']}"] = paper
    return index


# Outside papers the sample studies cite (invented; DOIs under the reserved 10.5555/ prefix).
OUTSIDE_PAPERS = [
    ("10.5555/hlsample.ref.001", "Norwood classification of male pattern baldness revisited",
     2005),
    ("10.5555/hlsample.ref.002", "Phototrichogram methods for counting scalp hair", 2009),
    ("10.5555/hlsample.ref.003", "Androgen metabolism in the human hair follicle", 2001),
    ("10.5555/hlsample.ref.004", "Global photographic assessment in hair-loss trials", 2012),
    ("10.5555/hlsample.ref.005", "Quality of life in androgenetic alopecia", 2016),
    ("10.5555/hlsample.ref.006", "Adverse events reporting in dermatology trials", 2018),
]


def sample_references() -> dict[str, list[dict[str, Any]]]:
    """Each sample study's reference list (Semantic Scholar `citedPaper` objects): up to
    three older sample studies sharing a treatment with it, two outside papers, and, for
    the first study, an entry without identifiers (title and year only)."""
    lists: dict[str, list[dict[str, Any]]] = {}
    for n, item in enumerate(STUDIES):
        related = [other for other in STUDIES
                   if other is not item and other["date"] < item["date"]
                   and set(other["treatments"]) & set(item["treatments"])][:3]
        refs = [{"paperId": s2_paper(other)["paperId"], "externalIds": {
            "DOI": other["doi"], "PubMed": other["pmid"]}, "title": other["title"],
            "year": other["date"][0]} for other in related]
        for doi, title, year in (OUTSIDE_PAPERS[n % 6], OUTSIDE_PAPERS[(n + 3) % 6]):
            refs.append({"paperId": None, "externalIds": {"DOI": doi}, "title": title,
                         "year": year})
        if n == 0:
            refs.append({"paperId": None, "externalIds": None,
                         "title": "Minoxidil package insert", "year": 1996})
        lists[f"PMID:{item['pmid']}"] = refs
    return lists


def europepmc_record(item: dict[str, Any]) -> dict[str, Any]:
    """A Europe PMC `resultType=lite` search result."""
    year, month, day = item["date"]
    names = []
    for name in item["authors"]:
        fore, _, last = name.rpartition(" ")
        names.append(f"{last} {''.join(p[0] for p in fore.replace('-', ' ').split())}")
    record: dict[str, Any] = {
        "id": item["pmid"], "source": "MED", "pmid": item["pmid"], "doi": item["doi"],
        "title": item["title"] + ".", "authorString": ", ".join(names) + ".",
        "journalTitle": JOURNAL, "pubYear": str(year), "pubType": "journal article",
        "isOpenAccess": "Y" if item["pmcid"] else "N", "inEPMC": "N", "inPMC": "N",
        "hasPDF": "N", "hasBook": "N", "hasSuppl": "N",
        "citedByCount": max(0, item["citations"] - 3), "hasReferences": "N",
        "firstIndexDate": f"{year}-{month:02d}-{day:02d}",
        "firstPublicationDate": f"{year}-{month:02d}-{day:02d}",
    }
    if item["pmcid"]:
        record["pmcid"] = item["pmcid"]
    return record


def write(writer: Writer) -> None:
    """Static E-utilities files plus the lookup tables the dynamic study routes read."""
    prefix = layout.PREFIX["pubmed"]
    esearch = writer.file("pubmed/esearch.xml", esearch_xml())
    efetch = writer.file("pubmed/efetch.xml", efetch_xml())
    for method in ("GET", "POST"):
        writer.route(f"{prefix}/entrez/eutils/esearch.fcgi", esearch, XML, method=method)
        writer.route(f"{prefix}/entrez/eutils/efetch.fcgi", efetch, XML, method=method)
    writer.json("semanticscholar/batch_index.json", s2_index())
    writer.json("semanticscholar/references.json", sample_references())
    writer.json("europepmc/records.json", [europepmc_record(s) for s in STUDIES])
