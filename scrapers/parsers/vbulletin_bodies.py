"""vBulletin post bodies: the vB4 `blockquote.postcontent` wrapper, quote boxes ("Quote:",
"Originally Posted by X") turned into plain `<blockquote>`s, signatures dropped; in the
page's own tree where it can (no serialising and parsing again)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from scrapers.parsers.common import Post
from scrapers.parsers.tree import drop_tree, has_class, outer_html, set_tail, set_text, xpath
from scrapers.text import checked_block_text, reads_as_block

_POSTCONTENT = re.compile(r"\s*<blockquote[^>]*\bpostcontent\b[^>]*>")
# Every class `rewrite_stages` flags holds one of these ("postcontent", "post-signature",
# "bbcode_postedby" hold "post")
_STAGE_CLASSES = ("post", "bbcode_container")
_REWRITE_MARKS = ("bbcode_container", "Quote:", "postcontent", "post-signature",
                  "bbcode_postedby")

# -- post bodies -----------------------------------------------------------------------------
def clean_body(fragment: str) -> str:
    """A post's HTML with vBulletin's wrappers undone: vB4's `blockquote.postcontent`
    becomes a div, every quote a `<blockquote>` without its "Quote:" / "Originally Posted
    by X" header, signatures and ads dropped."""
    return _clean_body(fragment)[0]


def post_body(element: Any) -> Post:
    """A post's body element as a `Post`: vBulletin's quote boxes, headers and signatures
    are undone in the page's own tree (no serialising and parsing again); `body_html` is
    serialised from it only if read. The id and other fields are the caller's to fill."""
    post = Post(external_id="", body_node=element)
    finish_body(post)
    return post


def finish_body(post: Post, marks: bool = True, text_for: tuple[str | None] | None = None,
                ) -> None:
    """`post_body` on a post whose `body_node` is still the page's body element (done once
    every lookup of the page is: the rewrite changes the page's tree). `marks` False: the
    page's text says there is nothing to rewrite.

    `text_for`: `(base_url,)` when no other post's rewrite can change this body (the
    page's post bodies lie apart): the body's text for that URL is walked first
    (`checked_block_text`); a walk that meets no class holding "post" or
    "bbcode_container", no "Quote:" and nothing it does not read says `rewrite_stages`
    would find nothing, so the body stays as it is and keeps the text (`Post.text`
    gives it without another walk). Otherwise the rewrite runs as before."""
    element = post.body_node
    unwrapped = is_postcontent(element)
    if not marks:
        post.body_block = unwrapped
        return
    if text_for is not None and not _rewrites_itself(element, unwrapped, False) and (
            unwrapped or reads_as_block(element)):
        text = checked_block_text(element, text_for[0], _STAGE_CLASSES, "Quote:")
        if text is not None:
            post.body_block = unwrapped
            post.remember_text(text_for[0], text)
            return
    found = Found()
    stages = rewrite_stages(element, found)
    # (the body element itself would be replaced)
    if _rewrites_itself(element, unwrapped, stages[2]):
        html, rewritten, unwrapped = _clean_body(outer_html(element))
        post.body_html = html
        post.body_node, post.body_block = (rewritten, True) if rewritten is not None \
            else (element, unwrapped)
        return
    if any(stages):
        _rewrite_quotes(element, stages, found)
    post.body_block = unwrapped


class Found:
    """What `rewrite_stages`' walk met for `_rewrite_quotes`' later steps, so they need
    no walk of their own: `containers`, the elements step 2's `with_class(root, "div",
    "bbcode_container")` gives (its divs, and the `postcontent` blockquotes step 1 makes
    divs); `headers`, the elements `headers_and_signatures` gives before any step runs (the
    steps only retag, move or detach elements and add class-less ones: step 4's answer is
    those still under the body, in the same order)."""

    __slots__ = ("containers", "headers")

    def __init__(self) -> None:
        self.containers: list[Any] = []
        self.headers: list[Any] = []


def rewrite_stages(element: Any, found: Found | None = None) -> tuple[bool, bool, bool, bool]:
    """Which of `_rewrite_quotes`' four steps may find something under `element`, each
    flag looser than its step's query at the time the step runs (earlier steps only
    retag, move or drop what is there and create class-less elements): a `postcontent`
    blockquote; any element of class `bbcode_container`; any element whose text or a
    child's tail holds "Quote:"; any element of class `bbcode_postedby` or
    `post-signature`. A step whose flag is False would find nothing. When libxml2's
    joined text of `element` lacks "Quote:" (most posts), one walk over its elements reads
    classes only; otherwise one walk over every node reads texts and tails too (tails
    off each node rather than off each element's children). Both give the flags of the
    plain form in `tests/scrapers/test_vbulletin_parser.py`. `found`: filled with what
    the later steps' lookups would give (`Found`)."""
    boxes = containers = labels = headers = False
    # Every text the walk below reads for "Quote:" is a text node under `element`: when
    # their concatenation (libxml2's, in C) lacks it, no text or tail is read, and the
    # walk passes over elements only (most posts: ~15 k instructions less a post).
    if "Quote:" not in etree.tostring(element, method="text", encoding="unicode",
                                      with_tail=False):
        for el in element.iterdescendants(etree.Element):
            classes = el.get("class")
            # (a class without "post" or "bbcode_container" holds none of the four
            # names `_classes_flags` looks for: no call)
            if classes and ("post" in classes or "bbcode_container" in classes):
                boxes, containers, headers = _classes_flags(el, classes, found, boxes,
                                                            containers, headers)
        return boxes, containers, False, headers
    # (every node under `element`, comments included: a node's tail is a text of its
    # parent, looked at unless that parent is `element` itself)
    for el in element.iterdescendants():
        tail = el.tail
        if tail and not labels and "Quote:" in tail and el.getparent() is not element:
            labels = True
        if not isinstance(el.tag, str):  # a comment or processing instruction
            continue
        classes = el.get("class")
        if classes and ("post" in classes or "bbcode_container" in classes):
            boxes, containers, headers = _classes_flags(el, classes, found, boxes,
                                                        containers, headers)
        if not labels:
            text = el.text
            if text and "Quote:" in text:
                labels = True
    return boxes, containers, labels, headers


def _classes_flags(el: Any, classes: str, found: Found | None, boxes: bool,
                   containers: bool, headers: bool) -> tuple[bool, bool, bool]:
    """`rewrite_stages`' flags after element `el` of class attribute `classes`; what it
    meets for the later steps goes into `found`."""
    if "postcontent" in classes and el.tag == "blockquote":
        boxes = True
    if "bbcode_container" in classes:
        containers = True
        if found is not None and _quote_container(el):
            found.containers.append(el)
    if "bbcode_postedby" in classes or "post-signature" in classes:
        headers = True
        if found is not None and _header_or_signature(el, classes):
            found.headers.append(el)
    return boxes, containers, headers


# Page text without these (and "postcontent" no more often than post bodies that are
# `blockquote.postcontent`) has nothing for `_rewrite_quotes` to change.
REWRITE_MARKS_IN_PAGE = ("bbcode_container", "Quote:", "bbcode_postedby", "post-signature")
_QUOTE_LABEL_CHILD = xpath("./div[normalize-space(text())='Quote:']")
_POSTCONTENT_WORD = re.compile(r"\bpostcontent\b")


def is_postcontent(element: Any) -> bool:
    """vB4's `blockquote.postcontent` post wrapper (read as a plain block, not a quote): an
    attribute name or value holding the word "postcontent" (the regex only where the
    string holds "postcontent" at all; no generator)."""
    if element.tag != "blockquote":
        return False
    for name, value in element.items():
        if ("postcontent" in value and _POSTCONTENT_WORD.search(value)) or \
                ("postcontent" in name and _POSTCONTENT_WORD.search(name)):
            return True
    return False


def _rewrites_itself(element: Any, unwrapped: bool, labels: bool = True) -> bool:
    """Whether undoing the boxes would replace or drop the body element itself (a body that
    is a quote box, a signature, or holds a vB3 "Quote:" label as a child): such a body is
    rewritten on a copy, as a fragment. `labels` False: no element under it holds "Quote:"
    (`rewrite_stages`), so it has no label child."""
    if unwrapped:  # (read as a plain <div>: only a label in it would replace it)
        return labels and bool(_QUOTE_LABEL_CHILD(element))
    classes = f" {' '.join((element.get('class') or '').split())} "
    return " bbcode_container " in classes or " bbcode_postedby " in classes or \
        "post-signature" in (element.get("class") or "") or \
        (labels and bool(_QUOTE_LABEL_CHILD(element)))


def _clean_body(fragment: str) -> tuple[str, Any | None, bool]:
    """`clean_body`'s HTML; the rewritten tree (None when nothing was rewritten); whether
    the vB4 `postcontent` wrapper was unwrapped."""
    wrapper = _POSTCONTENT.match(fragment)
    unwrapped = bool(wrapper and fragment.rstrip().endswith("</blockquote>"))
    if wrapper and unwrapped:
        fragment = "<div>" + fragment[wrapper.end():fragment.rstrip().rfind("</blockquote>")] \
            + "</div>"
    if not any(mark in fragment for mark in _REWRITE_MARKS):
        return fragment, None, unwrapped  # nothing to undo (most posts): no second parse
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment, None, unwrapped
    _rewrite_quotes(root)
    html = lxml_html.tostring(root, encoding="unicode")
    return (html[len("<div>"):-len("</div>")] if html.startswith("<div>") else html), root, \
        unwrapped


# The quote rewrite's class lookups: `contains(concat(' ', normalize-space(@class), ' '),
# ' name ')` on the elements under a node, in document order, read with one pass over the
# node's elements (an XPath call tests every element with string functions: a few
# microseconds each, a third of a quoted post's rewrite; the tests keep those queries as
# the plain form).
_QUOTE_LABELS = xpath(".//div[normalize-space(text())='Quote:']")  # vBulletin 3
_TABLE_CELLS = xpath("./table//td")
_POSTED_BY_DIV = xpath("./div[contains(normalize-space(.), 'Originally Posted by')]")
_CHILD_DIVS = xpath("./div")
def with_class(node: Any, tag: str, name: str) -> list[Any]:
    """`.//tag[contains(concat(' ', normalize-space(@class), ' '), ' name ')]` under node."""
    return [el for el in node.iterdescendants(tag) if has_class(el, name)]


def first_with_class(node: Any, tag: str, name: str) -> Any | None:
    """The first of `with_class(node, tag, name)`, else None (the walk stops there)."""
    for el in node.iterdescendants(tag):
        if has_class(el, name):
            return el
    return None


def _header_or_signature(el: Any, classes: str) -> bool:
    """Whether `el` (its class attribute `classes`) is a quote header or a signature: of
    class `bbcode_postedby`, or a class holding `post-signature`."""
    return "post-signature" in classes or has_class(el, "bbcode_postedby")


def _quote_container(el: Any) -> bool:
    """Whether `el` (of a class holding "bbcode_container") is a quote box step 2 undoes:
    a `div.bbcode_container`, or a `blockquote` of both classes."""
    return has_class(el, "bbcode_container") and (
        el.tag == "div" or (el.tag == "blockquote" and has_class(el, "postcontent")))


def headers_and_signatures(node: Any) -> list[Any]:
    """The elements under `node` that `_header_or_signature` takes, in document order."""
    found = []
    for el in node.iterdescendants(etree.Element):
        classes = el.get("class")
        if classes and _header_or_signature(el, classes):
            found.append(el)
    return found


def _rewrite_quotes(root: Any, stages: tuple[bool, bool, bool, bool] = (True,) * 4,
                    found: Found | None = None) -> None:
    """Undo vBulletin's quote boxes, headers and signatures in `root` (in place; the
    queries compiled once: an `element.xpath(string)` compiles its query on every call).
    `stages`: the steps to run (`rewrite_stages`: the others would find nothing);
    `found`: what `rewrite_stages(root, found)` met, for steps 2 and 4."""
    boxes, containers, labels, headers = stages
    for el in with_class(root, "blockquote", "postcontent") if boxes else ():
        el.tag = "div"
    for container in (found.containers if found is not None else
                      with_class(root, "div", "bbcode_container")) if containers else ():
        quote = first_with_class(container, "div", "bbcode_quote")
        if quote is None:
            continue  # a code or PHP box
        body = first_with_class(quote, "div", "message")
        _replace_with_quote(container, quote if body is None else body)
    for label in _QUOTE_LABELS(root) if labels else ():
        box = label.getparent()
        cells = _TABLE_CELLS(box) if box is not None else []
        if box is None or not cells:
            continue
        cell = cells[0]
        header = _POSTED_BY_DIV(cell)
        if header:
            rest = [d for d in _CHILD_DIVS(cell) if d is not header[0]]
            inner = cell.makeelement("div")
            for div in rest:
                inner.append(div)
            _replace_with_quote(box, inner)
        else:
            _replace_with_quote(box, cell)
    for el in (headers_and_signatures(root) if found is None else
               [el for el in found.headers if _under(el, root)]) if headers else ():
        drop_tree(el)


def _under(el: Any, root: Any) -> bool:
    """Whether `el` is still under `root` (not in a box a step took out of the tree)."""
    return any(above is root for above in el.iterancestors())


def _replace_with_quote(old: lxml_html.HtmlElement, content: lxml_html.HtmlElement) -> None:
    quote = old.makeelement("blockquote")  # (in its document: no move between two)
    set_text(quote, content.text)
    for child in list(content):
        quote.append(child)
    set_tail(quote, old.tail)
    parent = old.getparent()
    if parent is not None:
        parent.replace(old, quote)
