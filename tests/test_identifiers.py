import pytest

from models.identifiers import (
    identifier_url,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    study_key,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("10.1001/JAMADERMATOL.2019.0001", "10.1001/jamadermatol.2019.0001"),
    ("doi:10.1000/xyz", "10.1000/xyz"),
    ("DOI: 10.1000/xyz", "10.1000/xyz"),
    ("https://doi.org/10.1000/xyz.", "10.1000/xyz"),
    ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
    ("https://doi.org/10.1000%2Fxyz", "10.1000/xyz"),
    ("not-a-doi", None),
    ("", None),
    (None, None),
])
def test_normalise_doi(raw: str | None, expected: str | None) -> None:
    assert normalise_doi(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("12345678", "12345678"), ("PMID: 123", "123"), (123, "123"), ("abc", None), ("0", None),
])
def test_normalise_pmid(raw: object, expected: str | None) -> None:
    assert normalise_pmid(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "expected"), [
    ("PMC1234567", "PMC1234567"), ("pmc42", "PMC42"), ("42", "PMC42"), ("PMCX", None),
])
def test_normalise_pmcid(raw: str, expected: str | None) -> None:
    assert normalise_pmcid(raw) == expected


def test_study_key_and_identifier_url_prefer_pmid_then_doi_then_pmcid() -> None:
    assert study_key("123", "10.1/x", "PMC9", 7) == "pmid:123"
    assert study_key(None, "10.1/x", "PMC9", 7) == "doi:10.1/x"
    assert study_key(None, None, "PMC9", 7) == "pmcid:PMC9"
    assert study_key(None, None, None, 7) == "id:7"
    assert identifier_url("10.1/x", "123", None) == "https://doi.org/10.1/x"
    assert identifier_url(None, "123", "PMC9") == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert identifier_url(None, None, "PMC9") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC9/"
    assert identifier_url(None, None, None) is None
