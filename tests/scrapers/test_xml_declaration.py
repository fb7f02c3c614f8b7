"""A forum page that opens with an XML declaration (XHTML served as text/html) is read as
HTML, as a browser reads it: the same records as the page without the declaration (read as
XML, libxml2 has no id table and the XHTML namespace hides every element from the queries)."""

from __future__ import annotations

import pytest

from tests.scrapers.test_control_characters import PAGES, Parse

DECLARATIONS = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                '\ufeff<?xml version="1.0"?>', "  \n<?xml version='1.0'?>\n"]
FIXTURE_PAGES = [(name, path, parse) for name, path, parse in PAGES if "fixture" in name]


@pytest.mark.parametrize(("name", "path", "parse"), FIXTURE_PAGES,
                         ids=[page[0] for page in FIXTURE_PAGES])
def test_a_declared_page_gives_the_records_of_the_plain_page(name: str, path: object,
                                                             parse: Parse) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
    plain = parse(text)
    assert plain.posts, name
    for declaration in DECLARATIONS:
        assert parse(declaration + text) == plain, (name, declaration)
