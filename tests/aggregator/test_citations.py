"""Identifiers in text: every DOI, PMID and PMCID form, wrapped in every markup."""

from __future__ import annotations

import pytest

from aggregator.citations import doi_candidates, find_identifiers, trim_doi

DOI = "10.1111/j.1529-8019.2011.01441.x"

DOI_FORMS = [
    f"bare {DOI} in prose",
    f"doi:{DOI}",
    f"DOI: {DOI}",
    f"https://doi.org/{DOI}",
    f"http://dx.doi.org/{DOI}",
    f"dx.doi.org/{DOI}",
    f"https://onlinelibrary.wiley.com/doi/{DOI}",
    f"https://onlinelibrary.wiley.com/doi/pdf/{DOI}",
    f"https://onlinelibrary.wiley.com/doi/abs/{DOI}/abstract",
    f"[the paper](https://doi.org/{DOI})",
    f"[url=https://doi.org/{DOI}]Rossi 2011[/url]",
    f"<https://doi.org/{DOI}>",
    f"see https://doi.org/{DOI}.",
    f"(https://doi.org/{DOI}), then",
    f"https://doi.org/{DOI}?utm_source=reddit",
    f"https://doi.org/{DOI}#abstract",
    f"https://doi.org/{DOI.upper()}",
    "https://doi.org/10.1111%2Fj.1529-8019.2011.01441.x",
    f"**doi:{DOI}**",
    f"read it: {DOI};",
]


@pytest.mark.parametrize("text", DOI_FORMS)
def test_doi_forms(text: str) -> None:
    assert DOI in find_identifiers(text).dois


def test_doi_with_parentheses_and_pdf_suffix() -> None:
    doi = "10.1016/s0190-9622(98)70007-6"
    assert find_identifiers(f"[pdf](https://x.invalid/{doi}.pdf)").dois == {doi}
    assert find_identifiers(f"(see doi:{doi})").dois == {doi}


def test_publisher_path_after_doi_is_a_candidate_prefix() -> None:
    found = find_identifiers("https://www.frontiersin.org/articles/10.3389/fmed.2021.12345/full")
    assert found.dois == {"10.3389/fmed.2021.12345"}
    assert doi_candidates("10.1000/abc/def") == ["10.1000/abc/def", "10.1000/abc"]


def test_trim_doi() -> None:
    assert trim_doi("10.1/abc).") == "10.1/abc"
    assert trim_doi("10.1/a(b)") == "10.1/a(b)"
    assert trim_doi("10.1/abc.pdf?download=1") == "10.1/abc"


PMID_FORMS = [
    "PMID: 21910805", "PMID 21910805", "pmid:21910805", "(PMID 21910805).",
    "https://pubmed.ncbi.nlm.nih.gov/21910805/",
    "pubmed.ncbi.nlm.nih.gov/21910805",
    "https://www.ncbi.nlm.nih.gov/pubmed/21910805",
    "[Rossi](https://pubmed.ncbi.nlm.nih.gov/21910805/)",
    "[url=https://pubmed.ncbi.nlm.nih.gov/21910805]link[/url]",
    "<https://pubmed.ncbi.nlm.nih.gov/21910805/?from=search>",
    "https://europepmc.org/article/MED/21910805",
    "PubMed ID: 21910805",
]


@pytest.mark.parametrize("text", PMID_FORMS)
def test_pmid_forms(text: str) -> None:
    assert find_identifiers(text).pmids == {"21910805"}


PMCID_FORMS = [
    "PMC3128374", "pmc3128374", "PMC 3128374",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3128374/",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC3128374/",
    "https://europepmc.org/article/PMC/PMC3128374",
    "https://europepmc.org/abstract/PMC/3128374",
    "[full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC3128374/).",
    "[url=https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3128374]free[/url]",
]


@pytest.mark.parametrize("text", PMCID_FORMS)
def test_pmcid_forms(text: str) -> None:
    assert find_identifiers(text).pmcids == {"PMC3128374"}


def test_things_that_are_not_identifiers() -> None:
    found = find_identifiers("10.5mm needles, 10.25/month, PMID pending, 100 mg, pmc? no, "
                             "https://example.invalid/article/12345")
    assert not found


def test_several_identifiers_in_one_text() -> None:
    found = find_identifiers(f"doi:{DOI} and PMID: 123 and PMC456 and 10.1000/xyz123")
    assert found.dois == {DOI, "10.1000/xyz123"}
    assert found.pmids == {"123"}
    assert found.pmcids == {"PMC456"}
