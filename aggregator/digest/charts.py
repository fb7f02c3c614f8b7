"""Per-study charts: threads per month and the treatment mix of the linked threads.

Two renderers draw the same two panels into one SVG:
- `MatplotlibCharts`: matplotlib (Agg, one reused figure), ~100-150 ms a chart;
- `SvgCharts`: a small hand-built SVG (well under 1 ms), for bulk exports.
`chart_renderer("auto", n)` picks matplotlib for up to `AUTO_MATPLOTLIB_MAX` studies.
Charts are embedded as `data:` image URIs, where a browser never runs scripts.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from xml.sax.saxutils import escape

from models.treatment_names import treatment_name

AUTO_MATPLOTLIB_MAX = 10
MAX_BARS = 36
TOP_TREATMENTS = 8
WIDTH, HEIGHT = 640, 200
BAR = "#3b6ea5"
MIX = "#c0703a"


@dataclass
class ChartData:
    """What a study chart shows: (label, count) per period, and per treatment (its display
    name)."""

    periods: list[tuple[str, int]]
    treatments: list[tuple[str, int]]

    @property
    def empty(self) -> bool:
        """Nothing to draw."""
        return not self.periods and not self.treatments


def _next_month(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def chart_data(months: Counter[str], mix: Counter[str],
               names: Mapping[str, str] | None = None) -> ChartData:
    """Bins from `YYYY-MM` counts (months, else quarters, else years) and the top treatments
    by their display names (`names`: treatment id -> name; else from their ids)."""
    periods: list[tuple[str, int]] = []
    if months:
        keys = sorted(months)
        span = []
        key = keys[0]
        while key <= keys[-1]:
            span.append(key)
            key = _next_month(key)
        periods = [(k, months.get(k, 0)) for k in span]
        if len(periods) > MAX_BARS:
            quarters: Counter[str] = Counter()
            for k, n in periods:
                quarters[f"{k[:4]}-Q{(int(k[5:7]) - 1) // 3 + 1}"] += n
            periods = sorted(quarters.items())
        if len(periods) > MAX_BARS:
            years: Counter[str] = Counter()
            for k, n in periods:
                years[k[:4]] += n
            periods = sorted(years.items())
    top = sorted(mix.items(), key=lambda item: (-item[1], item[0]))[:TOP_TREATMENTS]
    return ChartData(periods=periods,
                     treatments=[(treatment_name(t, names), n) for t, n in top])


class ChartRenderer(Protocol):
    """Renders chart data to SVG bytes."""

    name: str

    def svg(self, data: ChartData) -> bytes:
        """The chart as an SVG document."""
        ...


def data_uri(svg: bytes) -> str:
    """An `<img src>` value for an SVG."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


class SvgCharts:
    """A hand-built SVG: bars per period on the left, treatment bars on the right."""

    name = "svg"

    def svg(self, data: ChartData) -> bytes:
        """The two panels as one small SVG document."""
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
                 f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="10">',
                 '<rect width="100%" height="100%" fill="#fff"/>',
                 '<text x="10" y="14" font-size="11" font-weight="bold">Threads per '
                 'month</text>',
                 '<text x="350" y="14" font-size="11" font-weight="bold">Treatment mix'
                 '</text>']
        parts.extend(self._periods(data.periods))
        parts.extend(self._mix(data.treatments))
        parts.append("</svg>")
        return "".join(parts).encode("utf-8")

    @staticmethod
    def _periods(periods: list[tuple[str, int]]) -> list[str]:
        if not periods:
            return ['<text x="10" y="100" fill="#777">no threads</text>']
        left, top, width, height = 30, 24, 290, 146
        peak = max(n for _, n in periods) or 1
        step = width / len(periods)
        out = [f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
               f'<line x1="{left}" y1="{top + height}" x2="{left + width}" '
               f'y2="{top + height}" stroke="#999"/>']
        for i, (label, n) in enumerate(periods):
            h = height * n / peak
            x = left + i * step
            out.append(f'<rect x="{x + step * 0.1:.1f}" y="{top + height - h:.1f}" '
                       f'width="{step * 0.8:.1f}" height="{h:.1f}" fill="{BAR}">'
                       f'<title>{escape(label)}: {n}</title></rect>')
        tick_step = -(-len(periods) // 4)
        for i in range(0, len(periods), tick_step):
            out.append(f'<text x="{left + (i + 0.5) * step:.1f}" y="{top + height + 14}" '
                       f'text-anchor="middle">{escape(periods[i][0])}</text>')
        return out

    @staticmethod
    def _mix(treatments: list[tuple[str, int]]) -> list[str]:
        if not treatments:
            return ['<text x="350" y="100" fill="#777">no treatments tagged</text>']
        left, top, width = 460, 24, 150
        peak = max(n for _, n in treatments) or 1
        row = min(20.0, 160 / len(treatments))
        out = []
        for i, (label, n) in enumerate(treatments):
            y = top + i * row
            w = width * n / peak
            out.append(f'<text x="{left - 6}" y="{y + row * 0.7:.1f}" text-anchor="end">'
                       f'{escape(label)}</text>')
            out.append(f'<rect x="{left}" y="{y + row * 0.15:.1f}" width="{w:.1f}" '
                       f'height="{row * 0.7:.1f}" fill="{MIX}"/>')
            out.append(f'<text x="{left + w + 4:.1f}" y="{y + row * 0.7:.1f}">{n}</text>')
        return out


class MatplotlibCharts:
    """matplotlib (Agg) with one figure reused for every chart."""

    name = "matplotlib"

    def __init__(self) -> None:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self._integer = MaxNLocator

        self._rc = {"svg.fonttype": "none", "font.size": 8, "svg.hashsalt": "hairlink"}
        self._figure = Figure(figsize=(WIDTH / 80, HEIGHT / 80), dpi=80)
        self._months = self._figure.add_subplot(1, 2, 1)
        self._mix = self._figure.add_subplot(1, 2, 2)
        # fixed margins instead of tight_layout, which measures every label (half the cost)
        self._figure.subplots_adjust(left=0.05, right=0.98, bottom=0.14, top=0.88, wspace=0.42)

    def svg(self, data: ChartData) -> bytes:
        """The two panels drawn with matplotlib, as SVG."""
        import matplotlib

        with matplotlib.rc_context(self._rc):
            return self._draw(data)

    def _draw(self, data: ChartData) -> bytes:
        months, mix = self._months, self._mix
        months.clear()
        mix.clear()
        months.set_title("Threads per month", fontsize=9)
        mix.set_title("Treatment mix", fontsize=9)
        if data.periods:
            xs = range(len(data.periods))
            months.bar(xs, [n for _, n in data.periods], color=BAR)
            step = max(1, len(data.periods) // 4)
            months.set_xticks(list(xs)[::step], [p for p, _ in data.periods][::step])
        else:
            months.text(0.5, 0.5, "no threads", ha="center", transform=months.transAxes)
        if data.treatments:
            ys = range(len(data.treatments))
            mix.barh(ys, [n for _, n in data.treatments], color=MIX)
            # a `$` would start matplotlib mathtext: labels are plain text
            mix.set_yticks(list(ys), [t.replace("$", r"\$") for t, _ in data.treatments])
            mix.invert_yaxis()
        else:
            mix.text(0.5, 0.5, "no treatments tagged", ha="center", transform=mix.transAxes)
        months.yaxis.set_major_locator(self._integer(integer=True))
        mix.xaxis.set_major_locator(self._integer(integer=True))
        buffer = io.BytesIO()
        self._figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()


def chart_renderer(kind: str, studies: int) -> ChartRenderer | None:
    """`svg`, `matplotlib`, `none`, or `auto` (matplotlib for small exports, else svg)."""
    if kind == "none":
        return None
    if kind == "matplotlib" or (kind == "auto" and studies <= AUTO_MATPLOTLIB_MAX):
        return MatplotlibCharts()
    if kind in ("svg", "auto"):
        return SvgCharts()
    raise ValueError(f"charts must be auto, svg, matplotlib or none, not {kind!r}")
