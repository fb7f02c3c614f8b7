"""vBulletin 3.8, 4.2 and 5.x URLs and pagination: a thread's id and stable URL from any of
its URL forms, the page a link resolves against, and the current, last and next page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from w3lib.url import url_query_parameter

from scrapers.parsers.tree import root_of, xpath

_PAGE_OF = re.compile(r"Page\s+(\d+)\s+of\s+(\d+)", re.IGNORECASE)
_SEO_ID = re.compile(r"(?:showthread\.php[?/]|/threads/|/)(\d+)-[^/?#]*")
_PATH_PAGE = re.compile(r"/page(\d+)(?:[/?#]|$)")


def page_base(doc: Any, url: str) -> str:
    """The URL relative links resolve against (`<base href>` when the page has one)."""
    root = root_of(doc)
    # (lxml's tag filter knows at once when no element of the page is named "base")
    found = [el.get("href") for el in root.iter("base") if el.get("href") is not None]
    href = found[0] if found else None
    return urljoin(url, href) if href else url


def thread_id_of(url: str) -> str | None:
    """`showthread.php?t=9687`, `showthread.php?9687-slug`, `showthread.php/9687-slug/page2`,
    `/threads/9687-slug`, vB5 `/forum/a/b/727744-slug` -> the thread (node) id."""
    t = url_query_parameter(url, "t") or url_query_parameter(url, "threadid")
    if t and t.isdigit():
        return t
    # The last `N-slug` segment: a board under `/2019-forum/` or a vB5 section called
    # `2020-season` must not give its own number.
    found = _SEO_ID.findall(url.split("#", 1)[0])
    if found:
        return str(found[-1])
    query = url.split("?", 1)[1] if "?" in url else ""
    lead = re.match(r"(\d+)(?:-|$|&)", query)
    return lead.group(1) if lead else None


def thread_url(base_url: str, thread_id: str) -> str:
    """The stable URL of a vB3/vB4 thread: `showthread.php?t=N`."""
    return f"{base_url.rstrip('/')}/showthread.php?t={thread_id}"


def thread_base(url: str) -> str:
    """A vB5 thread URL without `/pageN`, query or fragment."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    return re.sub(r"/page\d+/?$", "", url)


def page_numbers(doc: Any, url: str, html: str | None = None) -> tuple[int, int]:
    """(current page, last page) from "Page X of Y", vB5's page buttons or the URL.

    `html`: the page's text, when at hand: a pager whose class name is not in it is not
    looked for."""
    root = root_of(doc)
    # (tag-anchored XPath: class tests over every element of a big page are slow)
    if html is None or "vbmenu_control" in html or "popupctrl" in html:
        for text in xpath("//td[contains(@class, 'vbmenu_control')]/text()"
                          "|//a[contains(@class, 'popupctrl')]/text()")(root):
            match = _PAGE_OF.search(text)
            if match:
                return int(match.group(1)), int(match.group(2))
    buttons = xpath("//a[contains(@class, 'js-pagenav-button')][@data-page]")(root) \
        if html is None or "js-pagenav-button" in html else []
    if buttons:
        current = xpath("//a[contains(@class, 'js-pagenav-current-button')]/@data-page")(root)
        pages = [int(b.attrib["data-page"]) for b in buttons
                 if b.attrib["data-page"].isdigit()]
        page = int(current[0]) if current and current[0].isdigit() else 1
        return page, max([page, *pages])
    match = _PATH_PAGE.search(url)
    page = int(match.group(1)) if match else int(
        (url_query_parameter(url, "page") if _may_name_page(url) else None) or 1)
    return page, page


def _may_name_page(url: str) -> bool:
    """Whether `url` can hold a `page` query parameter: a URL without "page", a %-escape or
    a tab or line break (which `urlsplit` deletes: "pa\tge=3" is "page=3") has none, and
    needs no query parsing."""
    return "page" in url or "%" in url or "\t" in url or "\n" in url or "\r" in url


def next_page_url(doc: Any, base: str) -> str | None:
    """The next page's absolute URL (`rel=next`, vB5's next button), if the page links one."""
    root = root_of(doc)
    found = xpath("//a[@rel='next']/@href")(root) or xpath(
        "//a[contains(@class, 'js-pagenav-next-button')]"
        "[not(contains(@class, 'h-hide-imp'))]/@href")(root)
    href = found[0] if found else None
    return urljoin(base, href) if href and href.strip() else None


