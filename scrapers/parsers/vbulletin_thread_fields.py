"""A vBulletin 3/4/5 thread page's thread-level fields (`vbulletin.parse_thread_page`): the
forum it is in (the last breadcrumb), its canonical URL, the vB3/vB4 thread id and title, and
the thread's post count ("Results 1 to 10 of 42")."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from scrapers.parsers.common import parse_count, squash
from scrapers.parsers.tree import PageIds, by_id, iter_document, root_of, xpath
from scrapers.parsers.vbulletin_post_fields import first_of
from scrapers.parsers.vbulletin_urls import thread_id_of

_RESULTS = re.compile(r"Results\s+[\d,.]+\s+to\s+[\d,.]+\s+of\s+([\d,.]+)", re.IGNORECASE)

# The marks of a page with crumbs (any of them; "navbar" first: real vB3, vB4 and vB5
# pages all hold it early, in CSS or scripts). `VB34_CRUMB_MARKS`: the same marks in the
# order for a vB3/vB4 thread page's `source`, which is cut before vB4's navbar (`NAVIGATION`)
# and so often lacks "navbar" but holds "navbit" near its start.
CRUMB_MARKS = ("navbar", "navbit", "breadcrumbs")
VB34_CRUMB_MARKS = ("navbit", "navbar", "breadcrumbs")


def breadcrumb_category(doc: Any, html: str | None = None,
                        ids: PageIds | None = None,
                        marks: tuple[str, ...] = CRUMB_MARKS) -> str | None:
    """The forum the page is in: the last forum crumb (vB3 `span.navbar`, vB4 `li.navbit`,
    vB5 `li.crumb`). `html`: the page's text, to skip the lookup on a page without crumbs
    (none of `CRUMB_MARKS` in it; `marks`: those marks in the order to test them); `ids`:
    the page's `PageIds`, when the caller has them."""
    if html is not None and not any(mark in html for mark in marks):
        return None
    root = root_of(doc)
    # vB4 keeps its crumbs in div#breadcrumb: look there first, the whole page otherwise
    holder = by_id(root, "breadcrumb", ids)
    links = crumb_links(holder) if holder is not None else []
    names = [squash(" ".join(a.itertext())) for a in links or _CRUMBS(root)]  # (`_TEXTS`)
    names = [n for n in names if n and n.lower() not in ("home", "forum", "forums")]
    return names[-1] if names else None


_CRUMB_LINKS = ("{0}span[@class='navbar']/a|{0}li[contains(@class, 'navbit')]/a"
                "|{0}ul[@id='breadcrumbs']/li[contains(@class, 'crumb')]/a")
_CRUMBS = xpath(_CRUMB_LINKS.format("//"))
_CRUMBS_IN = xpath(_CRUMB_LINKS.format(".//"))  # (the plain form of `crumb_links`)


def crumb_links(holder: Any) -> list[Any]:
    """`_CRUMBS_IN(holder)` by lxml's tag filter (no query call): the links under `holder`
    whose parent, itself under `holder`, is a `span` of class "navbar", a `li` whose class
    holds "navbit", or a `li` whose class holds "crumb" in a `ul#breadcrumbs` under
    `holder`; in document order."""
    links = []
    for link in holder.iterdescendants("a"):
        parent = link.getparent()
        if parent is holder:
            continue
        tag = parent.tag
        if tag == "span":
            if parent.get("class") == "navbar":
                links.append(link)
        elif tag == "li":
            classes = parent.get("class") or ""
            if "navbit" in classes:
                links.append(link)
            elif "crumb" in classes:
                above = parent.getparent()
                if above is not holder and above.tag == "ul" and \
                        above.get("id") == "breadcrumbs":
                    links.append(link)
    return links
_TEXTS = xpath(".//text()")  # (the plain form of a crumb's `itertext()`, kept for the test)


def _canonical(root: Any, text: str | None = None) -> str | None:
    """The page's `<link rel="canonical">` URL (looked for in <head> first), else None."""
    # (a page without any <link> has none: lxml's tag filter says so before a scan of
    # the text, which a page without "canonical" reads to its end)
    if next(iter_document(root, "link"), None) is None or (
            text is not None and "canonical" not in text):
        return None
    head = root.find("head")
    found = _CANONICAL_IN(head) if head is not None else []
    return first_of(found or _CANONICAL(root))


_CANONICAL = xpath("//link[@rel='canonical']/@href")
_CANONICAL_IN = xpath(".//link[@rel='canonical']/@href")
_THREAD_TITLE = "//span[contains(@class, 'threadtitle')]//text()"


def _vb34_thread(root: Any, url: str, base: str, text: str | None = None,
                 ids: PageIds | None = None) -> tuple[str | None, str | None, str]:
    """A vB3/vB4 page's thread id, canonical URL and title (vB4's in div#pagetitle when
    the page has one)."""
    canonical = _canonical(root, text)
    ext = (thread_id_of(url) or (thread_id_of(urljoin(base, canonical)) if canonical
                                 else None)
           or first_of(xpath("//input[@name='t' or @name='threadid']/@value")(root)))
    holder = by_id(root, "pagetitle", ids)
    texts = title_texts(holder) if holder is not None else []
    if not texts and (text is None or "threadtitle" in text):
        texts = xpath(_THREAD_TITLE)(root)
    title = squash(" ".join(texts)) \
        or squash("".join(xpath("//td[@class='navbar']/strong//text()")(root)))
    return ext, canonical, title


def title_texts(holder: Any) -> list[str]:
    """`xpath("." + _THREAD_TITLE)(holder)` by lxml's tag filter (no query call): the texts
    under each `span` below `holder` whose class holds "threadtitle" (its `.//text()` is
    `itertext()`), a matching span inside one already read adding nothing (XPath's union
    holds each text once); in document order."""
    texts: list[str] = []
    taken = None
    for span in holder.iterdescendants("span"):
        if "threadtitle" in (span.get("class") or ""):
            if taken is not None and any(above is taken for above in span.iterancestors()):
                continue  # (in the last span read: spans read apart come one after another)
            texts.extend(span.itertext())
            taken = span
    return texts


def child_texts(element: Any) -> list[str]:
    """`element`'s `./text()`: its text and the tails of its children (comments too), in
    order, read off the element instead of by a query call."""
    texts = [] if element.text is None else [element.text]
    texts += [child.tail for child in element if child.tail is not None]
    return texts


def _posts_total(root: Any, ids: PageIds | None = None) -> int | None:
    """The thread's post count from "Results 1 to 10 of 42", when the page shows it (vB4's
    div#postpagestats_above first)."""
    stats = by_id(root, "postpagestats_above", ids)
    if stats is not None:
        results = _RESULTS.search(" ".join(child_texts(stats)))
        if results:
            return parse_count(results.group(1))
    results = _RESULTS.search(" ".join(xpath(
        "//div[contains(@class, 'postpagestats')]/text()|//a[contains(@title, 'esults')]/@title"
        "|//span[contains(@title, 'esults')]/@title")(root)))
    return parse_count(results.group(1)) if results else None
