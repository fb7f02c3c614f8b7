"""What the route tests share: the study key of the seeded corpus, Starlette's TestClient
and reading a page's text."""

from __future__ import annotations

import warnings

import lxml.html

from hairlink.web.app import CSP

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["S1", "TestClient", "page", "text_of"]

S1 = "doi:10.1001/jamadermatol.2024.0284"


def page(client: TestClient, path: str, status: int = 200) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    return lxml.html.fromstring(response.text)


def text_of(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(" ".join(el.itertext()).split()) for el in tree.xpath(xpath)]
