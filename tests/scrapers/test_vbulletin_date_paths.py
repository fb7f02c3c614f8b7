"""vBulletin date reading: the fast paths (the lazy numeric-date scan, the direct read of the
default format, the day order read after the opening the last pages shared) give what the
plain paths give."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from scrapers.parsers import vbulletin_dates
from scrapers.parsers.common import ParseError


def test_numeric_date_scan_finds_what_finditer_finds() -> None:
    """The lazy scan behind `day_first` (bytes marks, regex tried only where a date can
    start) gives the matches `finditer` gives, on strings dense in digits, separators and
    the navigation-URL shapes ("55-0/") it skips."""
    import random

    rng = random.Random(7)
    alphabet = "0123456789-/. aé_x?\n٢٥٠۶😀"  # digits beyond Latin-1 (Arabic, Persian) too
    texts = ["whats-new/55-0/ 12-02-2026 1-2-33 05.06.16 7/8/2019 3-4-5 a12-1-2000",
             "x ٢٥-06-2016 y", "25-٠٦-2016", "۱۲/۰۳/۲۰۱۶",
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
               for _ in range(20_000))]
    for text in texts:
        expected = [m.span() for m in vbulletin_dates._NUMERIC_DATE.finditer(text)]
        assert [m.span() for m in vbulletin_dates._numeric_dates(text)] == expected, text


def test_default_date_fast_path_reads_what_the_slow_path_reads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`local_time`'s direct read of "12-02-2026,&nbsp;09:00 AM" gives what cleaning the
    text and trying the formats gives (or the same error), on strings dense in its shape."""
    import random

    rng = random.Random(5)
    parts = ["12", "02", "2", "31", "13", "0", "-", "-", "2026", ",", " ", "\u00a0", "\t", ":",
             "09", "59", "7", "AM", "pm", "Pm", "st", "at", "Today", "ago", "٢"]
    texts = ["12-02-2026,\u00a0 09:00 AM", "2-31-2026, 9:05 pm", "12-02-2026 09:00 AM ",
             *("".join(rng.choice(parts) for _ in range(rng.randint(1, 12)))
               for _ in range(3_000))]
    texts += [f"{m}-{d}-2026{sep}{h}:{mi} {half}" for m in ("1", "02", "12", "13")
              for d in ("1", "09", "29", "31", "32") for sep in (", ", ",\u00a0 ", " ", ",")
              for h in ("1", "09", "12", "13") for mi in ("5", "05", "60") for half in ("AM", "pm")]
    zone = timezone(timedelta(hours=-5))

    def read(text: str) -> object:
        try:
            return vbulletin_dates.local_time(text, zone)
        except ParseError as exc:
            return str(exc)

    fast = [read(text) for text in texts]
    monkeypatch.setattr(vbulletin_dates, "_DEFAULT_TEXT", re.compile(r"(?!)"))
    assert fast == [read(text) for text in texts]


def test_day_order_read_after_the_last_pages_shared_opening(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`day_first` skips what a page shares with the last page it read (up to the last ">"
    of the shared part): on random sequences of pages sharing openings of every length,
    dates (deciding or not) before, across and after the point where they part, every
    answer is the one reading the whole page with `finditer` gives."""
    monkeypatch.setattr(vbulletin_dates, "_LAST_SCAN", [])
    rng = random.Random(23)
    bits = ["<a>", "</a>", ">", "x", " ", "12-03-2026", "13-03-2026", "03-13-2026", "5/6/07",
            "1", "2", "-", "/", ".", "26", "٢٥", "é", "20-20-20"]

    def plain(text: str) -> bool:
        for found in vbulletin_dates._NUMERIC_DATE.finditer(text):
            first, second = (int(g) for g in found.groups())
            if first > 12 or second > 12:
                return first > 12
        return False

    page = ""
    skipped = 0
    for _ in range(6000):
        cut = rng.randint(0, len(page))  # (keep this much of the last page, then new text)
        page = page[:cut] + "".join(rng.choice(bits) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.1:
            page = ""
        last = list(vbulletin_dates._LAST_SCAN)
        assert vbulletin_dates.day_first(page) == plain(page), (last, page)
        skipped += bool(last) and page.rfind(">", 0, vbulletin_dates._common_length(
            last[0][0], page)) > 0
    assert skipped > 2000
    for a, b, common in (("abc", "abd", 2), ("", "x", 0), ("same", "same", 4), ("ab", "abc", 2),
                         ("x" * 999 + "a", "x" * 999 + "b", 999)):
        assert vbulletin_dates._common_length(a, b) == common


def test_shared_length_from_the_last_opening_is_the_common_length(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`_shared_length` (the opening the last two pages shared, tried first) gives
    `_common_length` on random page pairs: pages of one board (the same opening, then
    their own text), openings that grow, shrink or part one character later, pairs unlike
    the last, and a last page that does not hold the opening; the opening answers alone
    for most of the board's pages."""
    monkeypatch.setattr(vbulletin_dates, "_LAST_OPENING", [])
    rng = random.Random(31)
    opening = "<html><head>menu</head><body>"
    last = opening + "x"
    hits = 0
    for _ in range(6000):
        roll = rng.random()
        if roll < 0.5:  # (the board's next page)
            text = opening + rng.choice("abc") + "".join(rng.choice("ab<>") for _ in range(5))
        elif roll < 0.8:  # (a page sharing more or less of the last page)
            cut = rng.randint(0, len(last))
            text = last[:cut] + "".join(rng.choice("ab<>x") for _ in range(rng.randint(0, 8)))
        else:
            text = "".join(rng.choice("ab<") for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.1:  # (a last page read apart: another board, a cleared scan)
            last = opening.upper() + "".join(rng.choice("ab<") for _ in range(5))
        kept = list(vbulletin_dates._LAST_OPENING)
        assert vbulletin_dates._shared_length(last, text) == \
            vbulletin_dates._common_length(last, text), (kept, last, text)
        hits += kept == vbulletin_dates._LAST_OPENING and bool(kept)
        last = text
    assert hits > 1000


def test_default_dates_made_aware_at_once_in_a_fixed_offset_are_the_plain_conversion() -> None:
    """`local_time`'s fast path in a fixed-offset zone (`datetime(..., tzinfo=UTC)` less
    the offset) gives what the plain `naive.replace(tzinfo=tz).astimezone(UTC)` gives
    (value, zone object, fold, overflow at the calendar's ends), and days that do not exist
    still go to the slow path (its answer or its error); other zones keep the conversion."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from scrapers.parsers.common import ParseError

    def plain(text: str, tz: object) -> object:
        fast = vbulletin_dates._DEFAULT_TEXT.fullmatch(text)
        if fast is not None:
            naive = vbulletin_dates._default_fields(*fast.groups())
            if naive is not None:
                try:
                    return naive.replace(tzinfo=tz).astimezone(UTC)
                except OverflowError:  # (year 9999 west of UTC, year 1 east)
                    return "overflow"
        try:  # the slow path alone: a leading space, which `fullmatch` refuses
            return vbulletin_dates.local_time(" " + text, tz, NOW_FAST)
        except ParseError as exc:
            return ("error", exc.reason)

    rng = random.Random(41)
    zones = [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30)),
             timezone(timedelta(0), "GMT"), timezone(timedelta(hours=-23, minutes=-59)),
             ZoneInfo("UTC"), ZoneInfo("America/New_York")]
    for _ in range(6_000):
        month = rng.choice(["1", "02", "12", "13", "0", "7"])
        day = rng.choice(["1", "09", "28", "29", "30", "31", " 5", "32"])
        year = rng.choice(["2016", "2024", "2023", "0000", "0001", "9999"])
        comma, space = rng.choice([",", ""]), rng.choice([" ", "\u00a0 ", "  "])
        clock = f"{rng.choice(['12', '1', '09', '11'])}:{rng.choice(['00', '5', '59'])}"
        text = f"{month}-{day}-{year}{comma}{space}{clock} {rng.choice(['AM', 'pm', 'Pm'])}"
        for tz in zones:
            try:
                got = vbulletin_dates.local_time(text, tz, NOW_FAST)
            except ParseError as exc:
                got = ("error", exc.reason)
            except OverflowError:
                got = "overflow"
            expected = plain(text, tz)
            assert got == expected, (text, tz)
            if isinstance(got, datetime):
                assert got.tzinfo is expected.tzinfo and got.fold == expected.fold


NOW_FAST = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)

