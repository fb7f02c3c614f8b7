"""Parsers of PubMed, Semantic Scholar, Europe PMC and Crossref answers.

Own fixtures in tests/fixtures/studies; every recorded real answer in
../shared/realdata/{pubmed,semanticscholar,europepmc,crossref} is parsed too (skipped when
the folder is absent) with values asserted per file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from scrapers.parsers import crossref, europepmc, pubmed, semanticscholar
from scrapers.parsers.jsonbody import ServiceError
from tests.conftest import REALDATA, realdata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studies"


# --- PubMed, own fixture -------------------------------------------------------------------

def test_efetch_fixture_fields_and_drops() -> None:
    studies, dropped = pubmed.parse_articles((FIXTURES / "efetch_hairloss.xml").read_bytes())
    assert [s["pmid"] for s in studies] == ["99000101", "99000102", "99000103"]
    assert dropped == Counter({"no PMID": 1, "bad PMID": 1})
    first, second, third = studies
    # DOI from ELocationID (ArticleIdList has none), PMCID from ArticleIdList; the reference
    # list's identifiers and the CommentsCorrections PMID are not the article's.
    assert (first["doi"], first["pmcid"]) == ("10.5555/htr.1998.0101", "PMC9900101")
    assert first["title"] == ("Topical minoxidil 5% versus 2% in men: a 48-week trial of "
                              "5α-reductase-naive scalps1")
    assert first["abstract"] == (
        "BACKGROUND: Androgenetic alopecia affects most men.\n"
        "METHODS: We randomised 120 men to 5% or 2% solution.\n"
        "RESULTS: Counts rose by 18 vs 12 hairs/cm2 (p < 0.05).\n"
        "CONCLUSIONS: The 5% solution grew more hair.")
    assert first["authors"] == ["Ada N Okafor", "P Lindqvist", "Scalp Trials Group"]
    assert (first["pub_year"], first["pub_month"], first["pub_day"]) == (1998, 12, None)
    assert first["journal"] == "Hair Therapeutics Reports (synthetic)"
    assert first["mesh_terms"] == ["Alopecia", "Minoxidil"]
    assert first["publication_types"] == ["Randomized Controlled Trial", "Journal Article"]
    assert first["url"] == "https://pubmed.ncbi.nlm.nih.gov/99000101/"
    # Season: the year only; DOI from ArticleIdList written as a URL; journal falls back.
    assert (second["pub_year"], second["pub_month"]) == (2019, None)
    assert second["doi"] == "10.5555/scalp.2019.0102"
    assert second["journal"] == "Scalp Sci"
    assert second["abstract"] == "An unstructured abstract about finasteride."
    assert (third["pub_year"], third["pub_month"], third["pub_day"]) == (2021, 3, 7)
    assert third["abstract"] is None and third["doi"] is None


def test_drop_reasons_carry_line_numbers() -> None:
    seen: list[tuple[str, int | None]] = []
    list(pubmed.iter_articles((FIXTURES / "efetch_hairloss.xml").read_bytes(),
                              on_drop=lambda reason, line: seen.append((reason, line))))
    assert [reason for reason, _ in seen] == ["no PMID", "bad PMID"]
    assert all(isinstance(line, int) and line > 70 for _, line in seen)


def test_truncated_document_keeps_articles_before_the_break() -> None:
    body = (FIXTURES / "efetch_hairloss.xml").read_bytes()
    cut = body[:body.index(b"<PubmedArticle>", body.index(b"99000102")) + 40]
    studies, dropped = pubmed.parse_articles(cut)
    assert [s["pmid"] for s in studies] == ["99000101", "99000102"]
    assert dropped["xml syntax error"] == 1


def test_not_xml_at_all_is_counted_not_raised() -> None:
    studies, dropped = pubmed.parse_articles(b"<html><body>Service unavailable")
    assert studies == [] and dropped["xml syntax error"] == 1


def test_entities_are_not_expanded() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "AAAA">]><PubmedArticleSet>'
            b"<PubmedArticle><MedlineCitation><PMID>5</PMID><Article><ArticleTitle>&big;"
            b"</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    studies, _ = pubmed.parse_articles(body)
    assert studies[0]["pmid"] == "5" and "AAAA" not in studies[0]["title"]


@pytest.mark.parametrize(("xml", "expected"), [
    ("<PubDate><Year>2001</Year><Month>11</Month><Day>5</Day></PubDate>", (2001, 11, 5)),
    ("<PubDate><Year>2001</Year><Month>Sept</Month></PubDate>", (2001, 9, None)),
    ("<PubDate><Year>2001</Year><Season>Spring</Season></PubDate>", (2001, None, None)),
    ("<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>", (1998, 12, None)),
    ("<PubDate><MedlineDate>2012 Nov-Dec</MedlineDate></PubDate>", (2012, 11, None)),
    ("<PubDate><MedlineDate>2000 Spring</MedlineDate></PubDate>", (2000, None, None)),
    ("<PubDate><MedlineDate>1999-2000</MedlineDate></PubDate>", (1999, None, None)),
    ("<PubDate><MedlineDate>Summer 1979</MedlineDate></PubDate>", (1979, None, None)),
    ("<PubDate><MedlineDate>undated</MedlineDate></PubDate>", (None, None, None)),
    ("<PubDate/>", (None, None, None)),
])
def test_pub_date_shapes(xml: str, expected: tuple[int | None, ...]) -> None:
    assert pubmed.parse_pub_date(etree.fromstring(xml)) == expected


def test_esearch_history_fixture() -> None:
    result = pubmed.parse_esearch((FIXTURES / "esearch_history.xml").read_bytes())
    assert (result.count, result.query_key, result.webenv) == (3, "1", "MCID_hairlink_test_env")
    assert result.ids == [] and result.errors == []


def test_esearch_refuses_other_documents() -> None:
    with pytest.raises(ValueError, match="eSearchResult"):
        pubmed.parse_esearch(b"<eLinkResult/>")
    with pytest.raises(ValueError, match="not XML"):
        pubmed.parse_esearch(b"{\"error\": \"API rate limit exceeded\"}")


# --- PubMed, recorded real answers ---------------------------------------------------------

def test_real_efetch_two_articles() -> None:
    studies, dropped = pubmed.parse_articles(
        realdata("pubmed", "efetch_pubmed_2articles_pubmed1.xml").read_bytes())
    assert not dropped
    aids, magnetic = studies
    assert aids["pmid"] == "12091962" and aids["doi"] is None
    assert (aids["pub_year"], aids["pub_month"]) == (1990, None)  # Year + Season "Spring"
    assert aids["authors"] == ["J Michael Olivero"]
    assert aids["publication_types"] == ["Journal Article", "Review"]
    assert aids["abstract"] is None
    assert len(aids["mesh_terms"]) == 19 and aids["mesh_terms"][0] == "AIDS Serodiagnosis"
    assert magnetic["pmid"] == "9997"
    assert magnetic["doi"] == "10.1016/0005-2795(76)90109-4"
    assert (magnetic["pub_year"], magnetic["pub_month"], magnetic["pub_day"]) == (1976, 9, 28)
    assert magnetic["journal"] == "Biochimica et biophysica acta"
    assert magnetic["abstract"].startswith("Electron paramagnetic resonance")


def test_real_efetch_structured_abstract() -> None:
    studies, _ = pubmed.parse_articles(
        realdata("pubmed", "efetch_pubmed_structured_abstract_pubmed4.xml").read_bytes())
    (gut,) = studies
    assert (gut["pmid"], gut["doi"], gut["pmcid"]) == (
        "27797938", "10.1136/gutjnl-2016-312510", "PMC5442267")
    assert gut["title"] == ("Leucocyte telomere length, genetic variants at the TERT gene "
                            "region and risk of pancreatic cancer.")
    sections = gut["abstract"].split("\n")
    assert [s.split(":")[0] for s in sections] == ["OBJECTIVE", "DESIGN", "RESULTS",
                                                   "CONCLUSIONS"]
    assert "ptrend=0.048" in sections[2] and "r2<0.25" in sections[2]
    assert "Published by the BMJ" not in gut["abstract"]
    assert gut["authors"][0] == "Ying Bao" and len(gut["authors"]) == 22
    assert (gut["pub_year"], gut["pub_month"], gut["journal"]) == (2017, 6, "Gut")


def test_real_efetch_entity_markup_title() -> None:
    studies, _ = pubmed.parse_articles(
        realdata("pubmed", "efetch_pubmed_entity_markup_title_pubmed6.xml").read_bytes())
    (runners,) = studies
    assert runners["title"].startswith('A "Blood Relationship" Between the Overlooked')
    assert (runners["doi"], runners["pmcid"]) == ("10.3389/fphys.2018.01034", "PMC6079548")
    assert "V.O2max" in runners["abstract"] and "<mml" not in runners["abstract"]
    assert (runners["pub_year"], runners["pub_month"]) == (2018, None)
    assert runners["mesh_terms"] == []


@pytest.mark.parametrize(("name", "count", "ids", "key", "errors"), [
    ("esearch_simple_esearch1.xml", 63, 20, None, []),
    ("esearch_usehistory_webenv_esearch2.xml", 42249, 100, "1", []),
    ("esearch_retstart6_page2_esearch3.xml", 2651, 6, None, []),
    ("esearch_zero_results_errorlist_esearch8.xml", 0, 0, None, ["PhraseNotFound: abcXYZ"]),
])
def test_real_esearch(name: str, count: int, ids: int, key: str | None,
                      errors: list[str]) -> None:
    result = pubmed.parse_esearch(realdata("pubmed", name).read_bytes())
    assert (result.count, len(result.ids), result.query_key, result.errors) == (
        count, ids, key, errors)
    if key:
        assert result.webenv == "MCID_6927d6e7fee3e90f880ec190"
    if name.startswith("esearch_retstart6"):
        assert (result.retstart, result.ids[0]) == (6, "11121077")
    if count == 0:
        assert result.warnings == ["OutputMessage: No items found."]


def test_every_real_pubmed_file_is_covered() -> None:
    names = {p.name for p in realdata("pubmed").iterdir()}
    assert names == {
        "efetch_pubmed_2articles_pubmed1.xml", "efetch_pubmed_structured_abstract_pubmed4.xml",
        "efetch_pubmed_entity_markup_title_pubmed6.xml", "esearch_simple_esearch1.xml",
        "esearch_usehistory_webenv_esearch2.xml", "esearch_retstart6_page2_esearch3.xml",
        "esearch_zero_results_errorlist_esearch8.xml"}


# --- Semantic Scholar ----------------------------------------------------------------------

def test_s2_batch_ids() -> None:
    assert semanticscholar.batch_id({"pmid": "PMID: 0042", "doi": "10.1000/x"}) == "PMID:42"
    assert semanticscholar.batch_id({"doi": "https://doi.org/10.1000/X"}) == "DOI:10.1000/x"
    assert semanticscholar.batch_id({"pmcid": "pmc77"}) == "PMCID:77"
    assert semanticscholar.batch_id({}) is None


def test_s2_own_batch_answer() -> None:
    body = (b'[{"paperId": "abc", "externalIds": {"PubMed": "99000101", "DOI": "10.5555/A",'
            b' "PubMedCentral": "9900101"}, "citationCount": 12,'
            b' "tldr": {"model": "tldr@v2.0.0", "text": " Short  summary. "}},'
            b' null, {"paperId": "def", "externalIds": null, "tldr": null}]')
    first, missing, third = semanticscholar.parse_papers(body)
    assert missing is None
    assert (first.pmid, first.doi, first.pmcid) == ("99000101", "10.5555/a", "PMC9900101")
    assert (first.tldr, first.citation_count) == ("Short summary.", 12)
    assert first.enrichment() == {"pmid": "99000101", "doi": "10.5555/a",
                                  "pmcid": "PMC9900101", "tldr": "Short summary.",
                                  "citation_count": 12}
    assert (third.tldr, third.citation_count, third.doi) == (None, None, None)


def test_real_s2_batch_with_null_entry() -> None:
    papers = semanticscholar.parse_papers(
        realdata("semanticscholar", "paper_batch_many_fields_with_null_entry.json").read_bytes())
    assert len(papers) == 4 and papers[0] is None
    assert [p.doi for p in papers[1:]] == ["10.2139/ssrn.288970", "10.2139/ssrn.2250500",
                                           "10.1257/rct.1355"]
    assert [p.citation_count for p in papers[1:]] == [10670, 2185, 0]
    assert papers[1].title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert papers[1].authors == ["Marianne Bertrand", "E. Duflo", "S. Mullainathan"]
    assert all(p.tldr is None for p in papers[1:])


def test_real_s2_full_paper_with_tldr() -> None:
    (paper,) = semanticscholar.parse_papers(
        realdata("semanticscholar", "paper_full_fields_with_tldr.TRIMMED.json").read_bytes())
    assert paper.doi == "10.1093/mind/lix.236.433"
    assert paper.tldr.startswith("If the meaning of the words")
    assert (paper.citation_count, paper.year, paper.journal) == (10059, 1950, "Mind")
    assert paper.authors == ["A. Turing"]


def test_real_s2_minimal_paper() -> None:
    (paper,) = semanticscholar.parse_papers(
        realdata("semanticscholar", "paper_get_fields-title.json").read_bytes())
    assert paper.title == "Computing Machinery and Intelligence"
    assert (paper.doi, paper.tldr, paper.citation_count) == (None, None, None)


def test_real_s2_not_found_404() -> None:
    with pytest.raises(ServiceError, match="Paper with id 0 not found"):
        semanticscholar.parse_papers(
            realdata("semanticscholar", "paper_not_found_404.json").read_bytes())


@pytest.mark.parametrize(("name", "count", "first_title"), [
    ("paper_search_query-turing_offset0_limit100.json", 100,
     "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, A Large-Scale "
     "Generative Language Model"),
    ("paper_search_query-turing_offset100_limit100.json", 100,
     "How to Run Turing Machines on Encrypted Data"),
    ("paper_search_bulk_query-kubernetes_token.json", 1000,
     "Kubernetes Cluster for Automating Software Production Environment"),
    ("paper_references_last_page_no_next.json", 17,
     "Does Gender Matter for Firm Performance? Evidence from Eastern Europe and Central Asia"),
    ("paper_search_zero_results.json", 0, None),
])
def test_real_s2_pages(name: str, count: int, first_title: str | None) -> None:
    papers = semanticscholar.parse_papers(realdata("semanticscholar", name).read_bytes())
    assert len(papers) == count
    if first_title:
        assert papers[0] is not None and papers[0].title == first_title
    if name.startswith("paper_references"):
        assert papers[0].paper_id is None  # citedPaper.paperId may be null


def test_every_real_s2_file_is_covered() -> None:
    assert len(list(realdata("semanticscholar").iterdir())) == 9


# --- Europe PMC ----------------------------------------------------------------------------

def test_epmc_query_and_match() -> None:
    study = {"pmid": "99000101", "doi": "10.5555/A", "pmcid": None}
    assert europepmc.search_query(study) == 'EXT_ID:99000101 OR DOI:"10.5555/a"'
    result = europepmc.parse_search(
        b'{"hitCount": 2, "resultList": {"result": ['
        b'{"id": "1", "source": "MED", "pmid": "1", "citedByCount": 99},'
        b'{"id": "99000101", "source": "MED", "pmid": "99000101", "doi": "10.5555/a",'
        b' "citedByCount": "5", "pubYear": "2020"}]}}')
    record = europepmc.match(result.records, study)
    assert record is not None and record.cited_by_count == 5 and record.year == 2020
    assert europepmc.match(result.records[:1], study) is None


def test_epmc_error_document() -> None:
    with pytest.raises(ServiceError):
        europepmc.parse_search(b'{"errCode": 400, "errMsg": "bad query"}')
    with pytest.raises(ServiceError):
        europepmc.parse_search(b"<html>Bad gateway</html>")


@pytest.mark.parametrize(("name", "hits", "count"), [
    ("search_cancer_resultType-lite_pageSize25.json", 5059039, 25),
    ("search_cancer_resultType-core_pageSize25.json", 5059039, 25),
    ("search_cancer_lite_pageSize5.json", 5059039, 5),
    ("search_no_results.json", 0, 0),
])
def test_real_epmc_search(name: str, hits: int, count: int) -> None:
    result = europepmc.parse_search(realdata("europepmc", name).read_bytes())
    assert (result.hit_count, len(result.records)) == (hits, count)
    if count:
        first, second = result.records[:2]
        assert (first.pmid, first.doi, first.cited_by_count) == (
            "39709209", "10.1016/s0140-6736(24)02600-x", 0)
        assert first.authors == ["Schoenfeld JD", "Haas-Kogan DA", "O'Neill AF"]
        assert first.year == 2025
        assert second.pmcid == "PMC12124214"
        assert result.next_cursor
    else:
        assert result.next_cursor is None
    if "core" in name:
        assert first.journal == "Lancet (London, England)"
        assert sum(1 for r in result.records if r.abstract) == 21


def test_every_real_epmc_file_is_covered() -> None:
    assert len(list(realdata("europepmc").iterdir())) == 4


# --- Crossref ------------------------------------------------------------------------------

def test_crossref_own_work() -> None:
    body = (b'{"status":"ok","message-type":"work","message":{"DOI":"10.5555\\/XR.1",'
            b'"title":["Caffeine &amp; hair"],"container-title":["Synth J"],'
            b'"author":[{"given":"Ann","family":"Lee"},{"name":"Hair Consortium"}],'
            b'"abstract":"<jats:p>Caffeine &lt;b&gt;helps&lt;/b&gt;?</jats:p>",'
            b'"issued":{"date-parts":[[2020,2]]},"is-referenced-by-count":4}}')
    (study,) = crossref.parse_works(body)
    assert study["doi"] == "10.5555/xr.1"
    assert study["authors"] == ["Ann Lee", "Hair Consortium"]
    assert (study["pub_year"], study["pub_month"], study["pub_day"]) == (2020, 2, None)
    assert study["abstract"] == "Caffeine <b>helps</b>?"
    assert study["url"] == "https://doi.org/10.5555/xr.1"
    assert "citation_count" not in study


@pytest.mark.parametrize(("name", "count", "first_doi"), [
    ("work_single_doi_10.1371_journal.pone.0033693.json", 1, "10.1371/journal.pone.0033693"),
    ("works_query-ecology_rows2.json", 2, "10.1093/obo/9780199830060-0238"),
    ("works_query-widget_cursor-star_first_page.json", 20, "10.1007/978-1-4302-0197-7_9"),
    ("members_98_works_rows5_cursor_page1.json", 5, "10.4061/2010/505436"),
    ("members_98_works_rows5_cursor_page2.json", 5, "10.1111/dth.13147"),
    ("works_query-ecology_select-DOI-title.json", 20, "10.1093/obo/9780199830060-0238"),
    ("members_rows0_empty_items.json", 0, None),
])
def test_real_crossref(name: str, count: int, first_doi: str | None) -> None:
    studies = crossref.parse_works(realdata("crossref", name).read_bytes())
    assert len(studies) == count
    if first_doi:
        assert studies[0]["doi"] == first_doi
    if name.startswith("work_single"):
        study = studies[0]
        assert study["title"].startswith("Methylphenidate Exposure Induces Dopamine")
        assert study["journal"] == "PLoS ONE"
        assert study["authors"][:2] == ["Shankar Sadasivan", "Brooks B. Pond"]
        assert (study["pub_year"], study["pub_month"], study["pub_day"]) == (2012, 3, 21)
    if name.startswith("works_query-widget"):
        assert studies[0]["pub_year"] is None  # date-parts [[null]]
    if name == "members_98_works_rows5_cursor_page1.json":
        assert studies[0]["abstract"].startswith("Well differentiated liposarcoma")
        assert "<jats" not in studies[0]["abstract"]
        assert (studies[0]["pub_year"], studies[0]["pub_month"]) == (2010, 12)


def test_real_crossref_404_is_plain_text() -> None:
    with pytest.raises(ServiceError, match="Resource not found"):
        crossref.parse_works(realdata("crossref", "work_not_found_404.txt").read_bytes())


def test_every_real_crossref_file_is_covered() -> None:
    assert len(list(realdata("crossref").iterdir())) == 8


def test_realdata_is_where_conftest_says() -> None:
    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not present")
    assert (REALDATA / "SOURCES.md").exists()
