"""Presentation helpers shared by every digest format: safe URLs, ages, labels, file names.

Everything here treats thread and study text as untrusted: URLs are kept only when they are
plain http(s), and file names come from normalised identifiers, never from titles.
"""

from __future__ import annotations

import calendar
import hashlib
import ipaddress
import re
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import humanize

from models.entities import Study
from models.identifiers import identifier_url
from models.identifiers import study_key as identifier_key
from models.post_output import excerpt  # noqa: F401  (re-exported: one excerpt rule)
from models.post_types import Post

_SAFE_URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")
_STEM_CHARS = re.compile(r"[^A-Za-z0-9.-]+")
_MAX_STEM = 120


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL without spaces, quotes or controls; else None."""
    if not url:
        return None
    if _UNSAFE_CHARS.search(url) or not _SAFE_URL.match(url):
        return None
    return url


SAMPLE_LINK_NOTE = "sample link: a local test server, dead once it stops"


def is_loopback_url(url: str | None) -> bool:
    """Whether `url` points at this machine (the demo's sample server, a test forum): such
    a link stops working when that server stops, so digests mark it."""
    if not url:
        return False
    found = _HOST.match(url)
    if found is not None:  # the common shape, without urlsplit's work (a card each)
        return _is_loopback_host(found.group(1).lower())
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return _is_loopback_host(host)


# scheme://[user@]host[:port] followed by the end, a path, a query or a fragment: the host
# urlsplit(url).hostname gives (lowercased), for the URLs this matches.
_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#\[\]]*@)?"
                   r"([^@:/?#\[\]]+)(?::\d*)?(?=[/?#]|$)")


@lru_cache(maxsize=4096)
def _is_loopback_host(host: str) -> bool:
    """Whether a URL's host name is this machine (a page of cards has few distinct hosts)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def age(moment: datetime, now: datetime) -> str:
    """A humanised age against `now`: "10 months ago", "3 days ago", "just now"."""
    delta = now - moment
    if delta >= timedelta(days=2):  # from two days on, humanize words depend on days only
        return _age_in_days(delta.days)
    return str(humanize.naturaltime(delta))


@lru_cache(maxsize=8192)
def _age_in_days(days: int) -> str:
    return str(humanize.naturaltime(timedelta(days=days)))


def score_label(score: int | None, source_kind: str = "reddit") -> str:
    """"257 upvotes", "1 upvote"; a missing score is "no votes", not 0. The noun is what the
    source kind registered (`score_noun` in `models.source_kinds`), else "vote"."""
    if score is None:
        return "no votes"
    noun = _score_noun(source_kind)
    return f"{score:,} {noun}" + ("" if score in (1, -1) else "s")


@lru_cache(maxsize=64)
def _score_noun(source_kind: str) -> str:
    from models.source_kinds import score_noun  # the registry (pydantic models): on first use

    return score_noun(source_kind)


def month_year(study: Study) -> str:
    """"March 2024", "2024", or ""."""
    if not study.pub_year:
        return ""
    if study.pub_month and 1 <= study.pub_month <= 12:
        return f"{calendar.month_name[study.pub_month]} {study.pub_year}"
    return str(study.pub_year)


def authors_line(authors: list[str] | None, limit: int = 6) -> str:
    """"A, B, C" or "A, B, … et al." for long lists."""
    names = [a for a in (authors or []) if isinstance(a, str) and a.strip()]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + " et al."


def community_line(post: Post) -> str:
    """"tressless in Progress Pictures", or just the source name."""
    return f"{post.source} in {post.category}" if post.category else post.source


def study_key(study: Study) -> str:
    """The public key of a study: `pmid:N`, else `doi:...`, else `pmcid:...`, else `id:N`."""
    return identifier_key(study.pmid, study.doi, study.pmcid, study.id)


def study_url(study: Study) -> str | None:
    """The paper's link: its stored URL if http(s), else from its DOI, PMID or PMCID."""
    return safe_url(study.url) or safe_url(identifier_url(study.doi, study.pmid, study.pmcid))


def file_stem(study: Study) -> str:
    """A file name stem from the study's identifier (`pmid-123`, `doi-10.1000_abc`).

    Only letters, digits, `.`, `-` and `_`; never starts with a dot; long stems are cut and
    suffixed with a hash of the identifier so they stay unique.
    """
    kind, _, value = study_key(study).partition(":")
    kind = "study" if kind == "id" else kind
    stem = f"{kind}-{_STEM_CHARS.sub('_', value).strip('._-') or 'x'}"
    if len(stem) > _MAX_STEM:
        digest = hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
        stem = f"{stem[:_MAX_STEM - 11]}-{digest}"
    return stem
