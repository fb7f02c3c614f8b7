"""Paging figures of the web pages: a capped count reads "100+", an exact one never does."""

from __future__ import annotations

from hairlink.web.pages import COUNT_CAP, _page
from models.post_types import PostQuery


def test_a_capped_count_reads_plus_and_pages_on() -> None:
    page = _page(COUNT_CAP, PostQuery(limit=50, offset=50), 50)
    assert page["total_label"] == f"{COUNT_CAP}+"
    assert page["next"] == 100  # more may follow the cap


def test_an_exact_count_is_never_capped() -> None:
    """A study page without filters shows its stored related total: 150 reads "150", and
    its last page has no link to an empty one."""
    last = _page(150, PostQuery(limit=50, offset=100), 50, exact=True)
    assert last["total_label"] == "150" and last["next"] is None
    first = _page(150, PostQuery(limit=50, offset=0), 50, exact=True)
    assert first["next"] == 50 and first["last"] == 50
