"""Charts (both renderers) and the presentation helpers: URLs, labels, ages, file stems."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from aggregator.digest.charts import (
    AUTO_MATPLOTLIB_MAX,
    MatplotlibCharts,
    SvgCharts,
    chart_data,
    chart_renderer,
    data_uri,
)
from aggregator.digest.markdown import md_escape
from aggregator.digest.present import (
    age,
    authors_line,
    excerpt,
    file_stem,
    safe_url,
    score_label,
)
from models.entities import Study

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def test_chart_data_bins_months_quarters_years() -> None:
    data = chart_data(Counter({"2026-01": 2, "2026-03": 1}), Counter({"minoxidil": 3, "fin": 3,
                                                                     "keto": 1}))
    assert data.periods == [("2026-01", 2), ("2026-02", 0), ("2026-03", 1)]
    assert data.treatments == [("fin", 3), ("minoxidil", 3), ("keto", 1)]
    three_years = chart_data(Counter({"2020-01": 1, "2022-12": 2}), Counter())
    assert len(three_years.periods) == 36 and three_years.periods[0] == ("2020-01", 1)
    wide = chart_data(Counter({"2020-01": 1, "2023-06": 2}), Counter())
    assert wide.periods[0] == ("2020-Q1", 1) and wide.periods[-1] == ("2023-Q2", 2)
    assert len(wide.periods) == 14
    decade = chart_data(Counter({"2000-05": 1, "2020-01": 4}), Counter())
    assert decade.periods[0] == ("2000", 1) and decade.periods[-1] == ("2020", 4)
    assert chart_data(Counter(), Counter()).empty


def test_svg_chart_is_valid_and_escapes_labels() -> None:
    data = chart_data(Counter({"2026-01": 2, "2026-02": 5}),
                      Counter({"<script>alert(1)</script>": 2, "minoxidil": 5}))
    svg = SvgCharts().svg(data)
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts and "minoxidil" in texts
    assert b"<script>" not in svg
    assert len(root.findall(f"{SVG}rect")) == 1 + 2 + 2  # background, months, treatments
    assert data_uri(svg).startswith("data:image/svg+xml;base64,")
    empty = SvgCharts().svg(chart_data(Counter(), Counter())).decode()
    assert "no threads" in empty


def test_matplotlib_chart_renders_svg() -> None:
    renderer = MatplotlibCharts()
    data = chart_data(Counter({"2026-01": 2, "2026-02": 5}), Counter({"minoxidil": 5}))
    first = renderer.svg(data)
    second = renderer.svg(chart_data(Counter({"2025-01": 1}), Counter({"finasteride": 1})))
    assert first.lstrip().startswith(b"<?xml") and b"<svg" in first
    assert b"minoxidil" in first and b"minoxidil" not in second  # the figure is reused, cleared
    assert b"finasteride" in second
    odd = renderer.svg(chart_data(Counter({"2025-01": 1}), Counter({"$x^2$ oil": 1})))
    assert b"$x^2$ oil" in odd


def test_chart_renderer_choice() -> None:
    assert isinstance(chart_renderer("auto", AUTO_MATPLOTLIB_MAX), MatplotlibCharts)
    assert isinstance(chart_renderer("auto", AUTO_MATPLOTLIB_MAX + 1), SvgCharts)
    assert isinstance(chart_renderer("svg", 1), SvgCharts)
    assert chart_renderer("none", 1) is None
    with pytest.raises(ValueError):
        chart_renderer("png", 1)


@pytest.mark.parametrize("url, ok", [
    ("https://forum.example/t/1?x=1#a", True),
    ("http://forum.example", True),
    ("HTTPS://FORUM.EXAMPLE/x", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html,<script>", False),
    ("vbscript:x", False),
    ("//forum.example/t/1", False),
    ("/relative", False),
    ("https://forum.example/\" onmouseover=\"x", False),
    ("https://forum.example/<script>", False),
    ("https://", False),
    ("", False),
    (None, False),
])
def test_safe_url(url: str | None, ok: bool) -> None:
    assert safe_url(url) == (url if ok else None)


def test_labels_and_ages() -> None:
    assert score_label(257) == "257 upvotes"
    assert score_label(1) == "1 upvote"
    assert score_label(0) == "0 upvotes"
    assert score_label(None) == "no votes"
    assert score_label(12, "discourse") == "12 likes"
    assert score_label(2500, "xenforo") == "2,500 reactions"
    assert score_label(3, "phpbb") == "3 votes"
    assert age(NOW - timedelta(days=300), NOW) == "10 months ago"
    assert age(NOW - timedelta(days=3), NOW) == "3 days ago"
    assert age(NOW - timedelta(hours=5), NOW) == "5 hours ago"
    assert age(NOW - timedelta(days=800), NOW) == "2 years ago"
    assert age(NOW + timedelta(days=3), NOW) == "3 days from now"
    assert excerpt("a  b\n\nc") == "a b c"
    long = excerpt("word " * 200, limit=50)
    assert long.endswith("…") and len(long) <= 51 and "  " not in long
    assert authors_line(["A", "B"]) == "A, B"
    assert authors_line([f"N{i}" for i in range(9)]) == "N0, N1, N2, N3, N4, N5 et al."
    assert md_escape("[x](javascript:alert(1)) <b>*y*</b>") == (
        "\\[x\\]\\(javascript:alert\\(1\\)\\) \\<b\\>\\*y\\*\\</b\\>")


def test_file_stems() -> None:
    def stem(**ids: str) -> str:
        return file_stem(Study(id=7, title="../../x", **ids))

    assert stem(pmid="123", doi="10.1/x") == "pmid-123"
    assert stem(doi="10.1000/abc") == "doi-10.1000_abc"
    assert stem(doi="10.1000/a(b)<c>:d") == "doi-10.1000_a_b_c_d"
    assert stem(pmcid="PMC9") == "pmcid-PMC9"
    assert stem() == "study-7"
    long = stem(doi="10.1000/" + "y" * 400)
    assert len(long) == 120 and long != stem(doi="10.1000/" + "y" * 401)


def test_loopback_check_reads_the_host_urlsplit_reads() -> None:
    """The quick host match gives what urlsplit's hostname gives (and the loopback rule)."""
    import ipaddress
    from urllib.parse import urlsplit

    from aggregator.digest.present import is_loopback_url

    urls = ["https://forum.example/t/1", "http://127.0.0.1:8080/t/3", "http://LOCALHOST/x",
            "http://[::1]:80/a", "https://user@localhost:99/x", "http://127.0.0.1",
            "https://a.b?x=1", "http://x:y@127.0.0.2/#f", "javascript:alert(1)", "http://",
            "http://localhost.evil.com/", "http://127.0.0.1.nip.io/", "http://[::1",
            "https://forum.example:notaport/", "http://%31%32%37.0.0.1/", "", "localhost"]
    for url in urls:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = None
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host or "").is_loopback
        except ValueError:
            loopback = False
        assert is_loopback_url(url) == loopback, url
    assert is_loopback_url("http://127.0.0.1:8080/t/3") and not is_loopback_url("https://x.y/")
