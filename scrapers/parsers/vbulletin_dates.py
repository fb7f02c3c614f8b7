"""vBulletin times: the board's zone (the footer's "All times are GMT -5"), the page's day
order for numeric dates, and the date strings of the three engine generations ("06-15-2016,
03:03 PM", "Today, 09:15 AM", "2 Hours Ago") read as aware UTC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from scrapers.parsers.common import ParseError, squash
from scrapers.parsers.tree import PageIds, by_id, root_of, xpath
from scrapers.parsers.vbulletin_scores import ScoreMarks

# Date formats vBulletin boards use (commas and " at " are removed before matching).
DATE_FORMATS = (
    "%m-%d-%Y %I:%M %p", "%Y-%m-%d %H:%M", "%m-%d-%Y %H:%M", "%d-%m-%Y %H:%M",
    "%d %B %Y %H:%M", "%d %B %Y %I:%M %p", "%B %d %Y %I:%M %p", "%B %d %Y %H:%M",
    "%d %b %Y %H:%M", "%d %b %Y %I:%M %p", "%b %d %Y %I:%M %p", "%b %d %Y %H:%M",
    "%m/%d/%Y %I:%M %p", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %I:%M %p",
    "%Y/%m/%d %H:%M", "%m-%d-%y %I:%M %p", "%d-%m-%y %H:%M",
)
# The same formats with the day-first ones ahead: for a board whose numeric dates show a
# day above 12 in first place ("15-06-2016"); see `day_first`.
DAY_FIRST_FORMATS = tuple(sorted(DATE_FORMATS, key=lambda fmt: not fmt.startswith("%d")))
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}\b")
# Latin-1 bytes with every digit as "0" and every date separator as "-": "0-0" marks where
# a numeric date can be (a Latin-1 page has no digits beyond ASCII's). "?" becomes "0" too:
# a character beyond Latin-1 is encoded as "?" and may be a digit to the regex (Arabic-Indic
# "٢٥-06-2016"); a real "?" is only tried in vain.
_DIGITS_AND_SEPARATORS = bytes.maketrans(b"123456789?/.", b"0000000000--")
# The "0-0" marks (digit, separator, digit) that go on as a date must: one more digit or
# not, a separator, two digits. Navigation URLs ("whats-new/55-0/") hold many "0-0" that go
# no further: the regex is not tried there. (A pattern opening with a literal, not a class
# such as "[0?]", is searched for with re's fast literal scan: 30 us for a 40 kB page
# instead of 580 us.)
_DATE_MARK = re.compile(rb"0-00?-00")
_AGO = re.compile(r"^(\d+)\s+(minute|hour|day|week)s?\s+ago$", re.IGNORECASE)
_CLOCKS = ("%I:%M %p", "%H:%M")
_RELATIVE = re.compile(r"^(today|yesterday)\s+(.+)$", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_FOOTER = re.compile(r"All times are GMT\s*(?:([+-])\s*(\d{1,2})(?:[.:](\d{1,2}))?)?",
                     re.IGNORECASE)

_FOOTER_TEXTS = xpath("//text()[contains(., 'All times are')]")
_FOOTER_TEXTS_IN = xpath(".//text()[contains(., 'All times are')]")


def board_zone(doc: Any, default: tzinfo = UTC, text: str | None = None,
               ids: PageIds | None = None) -> tzinfo:
    """The zone of the footer's "All times are GMT -5" (GMT +5.5, GMT-5...), else `default`.

    `doc`: the page (Selector or lxml root); `text`: its HTML, when at hand, to skip the
    text-node scan on a page without the phrase; `ids`: the page's `PageIds`, when the
    caller has them."""
    # (one count of the phrase: an `in` test first would read the page to its footer too)
    times = text.count("All times are") if text is not None else -1
    if times == 0:
        return default
    root = root_of(doc)
    # vB4 prints it once, in div#footer_time: when the page holds the phrase once and that
    # div has it, it is the only text that can (no walk over the whole page).
    footer = by_id(root, "footer_time", ids) if times == 1 else None
    texts = footer_texts(footer) if footer is not None else []
    if not texts:
        texts = _FOOTER_TEXTS(root)
    # The footer is the last such text: a post quoting "All times are GMT +8" must not set
    # the zone of the whole page.
    matches = [m for m in (_FOOTER.search(squash(t)) for t in reversed(texts)) if m]
    if not matches:
        return default
    match = matches[0]
    sign, hours, minutes = match.groups()
    if not hours:
        return UTC
    fraction = minutes and f".{minutes}" in match.group(0)
    span = timedelta(hours=int(hours), minutes=(round(float(f"0.{minutes}") * 60) if fraction
                                                else int(minutes or 0)))
    return timezone(-span if sign == "-" else span)


def footer_texts(footer: Any) -> list[str]:
    """`_FOOTER_TEXTS_IN(footer)` read off the element (its `.//text()` is `itertext()`),
    without a query call."""
    return [text for text in footer.itertext() if "All times are" in text]


def day_first(text: str) -> bool:
    """Whether a page's numeric dates put the day first: the first date with a part above 12
    decides ("15-06-2016": day first; "06-15-2016": month first); month first by default,
    as vBulletin's own default is. Decided per page, so one date never depends on another
    page's (or another board's) dates.

    The pages of a board open alike (head, navigation menu): the part this page shares with
    the last page scanned, up to its last ">", holds the same dates, so it is not read again
    (`_LAST_SCAN`; a date never holds a ">", so none runs across that point). Same answer as
    reading the whole page (tested on fuzzed page sequences)."""
    start = 0
    if _LAST_SCAN:
        last, decided_end, answer = _LAST_SCAN[0]
        start = text.rfind(">", 0, _shared_length(last, text)) + 1
        if 0 <= decided_end < start:  # (the deciding date and the character after it)
            return answer
    for found in _numeric_dates(text, start):
        first, second = found.groups()
        if int(first) > 12 or int(second) > 12:
            _LAST_SCAN[:] = [(text, found.end(), int(first) > 12)]
            return int(first) > 12
    _LAST_SCAN[:] = [(text, -1, False)]
    return False


# The last page `day_first` read: its text, where its deciding date ends (-1: none), the
# answer.
_LAST_SCAN: list[tuple[str, int, bool]] = []
# The opening the last two pages `_shared_length` compared had in common.
_LAST_OPENING: list[str] = []


def _shared_length(last: str, text: str) -> int:
    """`_common_length(last, text)`. A board's pages share the same opening one after
    another (head, menu, up to the thread's own text): when both pages start with the
    opening the last two shared and part right after it, that is the answer, from two
    comparisons instead of the halving search's copies."""
    if _LAST_OPENING:
        opening = _LAST_OPENING[0]
        end = len(opening)
        if end < len(last) and end < len(text) and last[end] != text[end] and \
                text.startswith(opening) and last.startswith(opening):
            return end
    end = _common_length(last, text)
    _LAST_OPENING[:] = [text[:end]]
    return end


def _common_length(a: str, b: str) -> int:
    """The length of the longest common prefix of `a` and `b` (halving searches, each
    comparing only the part not yet known to match)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if b.startswith(a[low:middle], low):
            low = middle
        else:
            high = middle - 1
    return low


def _numeric_dates(text: str, start: int = 0) -> Iterator[re.Match[str]]:
    """`_NUMERIC_DATE.finditer(text, start)`, lazily: the regex is tried only where a
    digit, a separator and a digit meet (found with a bytes search), as finditer would meet
    them."""
    # (a character beyond Latin-1, a curly quote of a cp1252 page, becomes one "?": the
    # offsets stay those of the text)
    marks = text[start:].encode("latin-1", errors="replace").translate(_DIGITS_AND_SEPARATORS)
    end = start  # finditer goes on after the end of its last match
    mark = _DATE_MARK.search(marks)
    while mark is not None:
        at = start + mark.start()
        # a match whose first separator follows `at` starts one digit before it or at it
        for first in (at - 1, at):
            found = _NUMERIC_DATE.match(text, first) if first >= end else None
            if found:
                yield found
                end = found.end()
                break
        mark = _DATE_MARK.search(marks, at - start + 1)


# Two numbers, each followed by a date separator (spaces allowed, as strptime allows): a
# date only the page's day order can read when both could be a month.
_TWO_NUMBERS = re.compile(r"(?<!\d)(\d+)\s*[-/.]\s*(?=(\d+)\s*[-/.])")


def ambiguous_date(text: str) -> bool:
    """Whether `text` may hold a numeric date that reads differently day first ("05-06-2016"
    and no part above 12). The day-first and month-first format lists hold the same formats,
    so any other date reads the same in either order."""
    return any(int(m.group(1)) <= 12 and int(m.group(2)) <= 12
               for m in _TWO_NUMBERS.finditer(text))


@dataclass
class BoardClock:
    """How one page writes its times: the board's zone, the page's day order, and now.

    `day_first` None: decided from `page` (its HTML, `day_first`) when a date needs it,
    once per page: a page whose dates all read the same in either order is never scanned.
    `score_marks`: the page's thanks and like marks (`ScoreMarks` of its text, or a pair
    of bools), the other per-page fact the post readers use."""

    zone: tzinfo = UTC
    day_first: bool | None = False
    now: datetime | None = None
    page: str = field(default="", repr=False)
    score_marks: tuple[bool, bool] | ScoreMarks = field(default=(True, True), repr=False)

    def read(self, text: str | None) -> datetime | None:
        """`local_time` of `text` on this page."""
        order = self.day_first
        if order is None:
            order = False
            if text and ambiguous_date(text):
                self.day_first = order = day_first(self.page)
        return local_time(text, self.zone, self.now, day_first=order)

    def read_or_none(self, text: str | None) -> datetime | None:
        """`read`, with None for a date in no known format (listing rows: the thread page
        has the real times, so one odd date must not lose the whole listing)."""
        try:
            return self.read(text)
        except ParseError:
            return None


def local_time(text: str | None, tz: tzinfo, now: datetime | None = None, *,
               day_first: bool = False) -> datetime | None:
    """A vBulletin date string ("06-15-2016, 03:03 PM", "2016-02-01, 02:21", "Today,
    09:15 AM", "2 Hours Ago") in zone `tz`, as aware UTC; None when empty; ParseError
    (reason `unknown_date_format`) when in no known format. `day_first` reads an ambiguous
    "05-06-2016" as 5 June instead of May 6."""
    if not day_first and text:
        fast = _DEFAULT_TEXT.fullmatch(text)
        if fast is not None:
            # (in a fixed offset, GMT -5 or UTC itself, the time is made aware in UTC at
            # once and moved by the offset: what `astimezone(UTC)` does for such a zone,
            # without the two calls, ~1 us a post)
            if type(tz) is timezone:
                parsed = _default_fields(*fast.groups(), UTC)
                if parsed is not None:
                    return parsed if tz is UTC else parsed - tz.utcoffset(None)
            else:
                parsed = _default_fields(*fast.groups())
                if parsed is not None:
                    return parsed.replace(tzinfo=tz).astimezone(UTC)
    raw = squash((text or "").replace("\u00a0", " "))
    if not raw:
        return None
    clean = squash(_ORDINAL.sub(r"\1", raw.replace(",", " ").replace(" at ", " ")))
    ago = _AGO.match(clean)
    if ago:
        unit = ago.group(2).lower() + "s"
        return (now or datetime.now(UTC)).astimezone(UTC) - timedelta(
            **{unit: int(ago.group(1))})
    match = _RELATIVE.match(clean)
    if match:
        day = (now or datetime.now(UTC)).astimezone(tz).date()
        if match.group(1).lower() == "yesterday":
            day -= timedelta(days=1)
        for fmt in _CLOCKS:
            try:
                clock = datetime.strptime(match.group(2).upper(), fmt).time()
            except ValueError:
                continue
            return datetime.combine(day, clock, tz).astimezone(UTC)
    else:
        if not day_first:
            parsed = _default_format(clean)
            if parsed is not None:
                return parsed.replace(tzinfo=tz).astimezone(UTC)
        for fmt in DAY_FIRST_FORMATS if day_first else DATE_FORMATS:
            try:
                parsed = datetime.strptime(clean.upper() if "%p" in fmt else clean, fmt)
            except ValueError:
                continue
            return parsed.replace(tzinfo=tz).astimezone(UTC)
    raise ParseError(f"unknown date format: {raw!r}", reason="unknown_date_format")


# The regex `strptime` builds for DATE_FORMATS[0], "%m-%d-%Y %I:%M %p" (vBulletin's default).
_DEFAULT_FORMAT = re.compile(
    r"(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])-(\d\d\d\d)\s+"
    r"(1[0-2]|0[1-9]|[1-9]):([0-5]\d|\d)\s+(am|pm)", re.IGNORECASE)


# A vBulletin post header's date in that format as the page prints it, "12-02-2026,&nbsp;
# 09:00 AM": `local_time` would squash, drop the comma and read the rest with
# `_default_format` (no ordinal, "at", "ago" or "Today" in such a text); read at once.
_DEFAULT_TEXT = re.compile(
    r"(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9])-(\d\d\d\d),?[ \u00a0]+"
    r"(1[0-2]|0[1-9]|[1-9]):([0-5]\d|\d) (am|pm)", re.IGNORECASE)


def _default_format(clean: str) -> datetime | None:
    """`datetime.strptime(clean.upper(), DATE_FORMATS[0])` without strptime's per-call
    locale checks; None where strptime raises ValueError (the next format is tried)."""
    found = _DEFAULT_FORMAT.match(clean)
    if found is None or found.end() != len(clean):
        return None
    return _default_fields(*found.groups())


def _default_fields(month: str, day: str, year: str, hour: str, minute: str,
                    half: str, zone: tzinfo | None = None) -> datetime | None:
    """The naive time of `_DEFAULT_FORMAT`'s groups (in `zone`, when given); None when no
    such day exists."""
    hour_of_day = int(hour) % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(int(year), int(month), int(day), hour_of_day, int(minute),
                        tzinfo=zone)
    except ValueError:
        return None
