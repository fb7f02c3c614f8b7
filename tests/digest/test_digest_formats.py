"""The digest formats are declared once (the config schema) and each has a renderer."""

from __future__ import annotations

from aggregator.digest import FORMATS
from aggregator.digest.export import RENDERERS
from models.config_schema import DIGEST_FORMATS


def test_every_declared_format_has_a_renderer() -> None:
    assert FORMATS == DIGEST_FORMATS
    assert set(RENDERERS) | {"html"} == set(DIGEST_FORMATS)  # html: HtmlRenderer
    assert "html" not in RENDERERS
