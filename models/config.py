"""hairlink configuration: a TOML file with `[database]` and `[[sources]]` tables.

Lookup order: an explicit path, else `$HAIRLINK_CONFIG`, else `./hairlink.toml`; a missing
default file means the embedded defaults. `$HAIRLINK_DATABASE_URL` overrides `[database] url`,
`$HAIRLINK_REDIS_URL` overrides `[redis] url`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///hairlink.db"
DEFAULT_CONFIG_NAME = "hairlink.toml"

SOURCE_KINDS = ("reddit", "discourse", "xenforo", "phpbb", "vbulletin", "pubmed")
DEFAULT_BASE_URLS = {
    "reddit": "https://oauth.reddit.com",
    "pubmed": "https://eutils.ncbi.nlm.nih.gov",
}
# Keys each kind accepts beyond the common ones, with their expected types.
_COMMON_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "kind": str,
    "base_url": str,
    "every": str,
    "cron": str,
    "enabled": bool,
    "replies": int,
    "refresh_days": (int, float),
    "delay": (int, float),
    "concurrency": int,
    "max_pages": int,
    "timeout": (int, float),
}
_KIND_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "reddit": {"subreddits": list, "auth_url": str, "user_agent": str},
    "discourse": {"categories": list},
    "xenforo": {"forums": list, "timezone": str},
    "phpbb": {"forums": list, "timezone": str},
    "vbulletin": {"forums": list, "timezone": str},
    "pubmed": {"term": str, "mindate": str, "maxdate": str, "retmax": int},
}
_REQUIRED_TARGETS = {"reddit": "subreddits", "xenforo": "forums", "phpbb": "forums",
                     "vbulletin": "forums", "pubmed": "term"}
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_INTERVAL_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(Exception):
    """A bad configuration: names the file, the source (if any) and the key."""

    def __init__(self, path: Path | None, message: str, *, source: str | None = None,
                 key: str | None = None) -> None:
        self.path = path
        self.source = source
        self.key = key
        where = str(path) if path else "<defaults>"
        if source is not None:
            where += f": source {source!r}"
        if key is not None:
            where += f": key {key!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceConfig:
    """One `[[sources]]` entry."""

    name: str
    kind: str
    base_url: str
    every: str | None = None
    cron: str | None = None
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def every_seconds(self) -> int | None:
        """The `every` interval in seconds, or None."""
        return parse_interval(self.every) if self.every else None

    def get(self, key: str, default: Any = None) -> Any:
        """A kind-specific or tuning option (`subreddits`, `forums`, `delay`...)."""
        return self.options.get(key, default)


@dataclass(frozen=True)
class Config:
    """The whole configuration, with defaults filled in."""

    path: Path | None = None
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    sources: tuple[SourceConfig, ...] = ()
    lexicon: Path | None = None
    contact: str | None = None
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def source(self, name: str) -> SourceConfig:
        """The source called `name`; KeyError with the known names if absent."""
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise KeyError(f"no source named {name!r} (configured: {known})")

    def section(self, name: str) -> dict[str, Any]:
        """A free-form table such as `[export]` or `[schedule]` (empty if absent)."""
        return self.sections.get(name, {})


def parse_interval(text: str) -> int:
    """`30m` -> 1800. Units: s, m, h, d."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"not an interval like '30m' or '6h': {text!r}")
    return int(match.group(1)) * _INTERVAL_SECONDS[match.group(2)]


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The config path to read and whether it must exist."""
    if explicit:
        return Path(explicit), True
    env = os.environ.get("HAIRLINK_CONFIG")
    if env:
        return Path(env), True
    return Path(DEFAULT_CONFIG_NAME), False


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Find, read and validate the configuration; raise ConfigError naming what is wrong."""
    path, required = find_config_path(explicit)
    if not path.exists():
        if required:
            raise ConfigError(path, "file not found")
        return _apply_env(Config())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from exc
    return _apply_env(parse_config(data, path))


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed TOML document."""
    known_tables = {"database", "redis", "sources", "aggregate", "lexicon", "export",
                    "schedule", "crawl", "enrich", "contact"}
    for key in data:
        if key not in known_tables:
            known = ", ".join(sorted(known_tables))
            raise ConfigError(path, f"unknown top-level key (known: {known})", key=key)
    database = _table(data, "database", path)
    url = database.get("url", DEFAULT_DATABASE_URL)
    if not isinstance(url, str) or not url:
        raise ConfigError(path, "must be a database URL string", key="database.url")
    redis = _table(data, "redis", path)
    redis_url = redis.get("url")
    if redis_url is not None and not isinstance(redis_url, str):
        raise ConfigError(path, "must be a redis:// URL string", key="redis.url")
    lexicon = data.get("lexicon")
    if lexicon is not None and not isinstance(lexicon, str):
        raise ConfigError(path, "must be a path to a lexicon TOML file", key="lexicon")
    lexicon_path = None
    if lexicon:
        lexicon_path = Path(lexicon)
        if path is not None and not lexicon_path.is_absolute():
            lexicon_path = path.parent / lexicon_path
    contact = data.get("contact")
    if contact is not None and not isinstance(contact, str):
        raise ConfigError(path, "must be a string (an email or URL)", key="contact")
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(path, "must be an array of tables: [[sources]]", key="sources")
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sources):
        src = _parse_source(raw, index, path)
        if src.name in seen:
            raise ConfigError(path, "duplicate source name", source=src.name, key="name")
        seen.add(src.name)
        sources.append(src)
    sections = {name: _table(data, name, path)
                for name in ("aggregate", "export", "schedule", "crawl", "enrich")}
    return Config(path=path, database_url=url, redis_url=redis_url, sources=tuple(sources),
                  lexicon=lexicon_path, contact=contact, sections=sections)


def _table(data: dict[str, Any], name: str, path: Path | None) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(path, f"must be a table: [{name}]", key=name)
    return value


def _parse_source(raw: Any, index: int, path: Path | None) -> SourceConfig:
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a table", source=label)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(path, "required: a unique name", source=label, key="name")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ConfigError(path, "use letters, digits, '.', '_' or '-' only",
                          source=name, key="name")
    kind = raw.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(path, f"must be one of {', '.join(SOURCE_KINDS)}", source=name,
                          key="kind")
    allowed = {**_COMMON_KEYS, **_KIND_KEYS[kind]}
    for key, value in raw.items():
        if key not in allowed:
            raise ConfigError(path, f"unknown key for a {kind} source (known: "
                              f"{', '.join(sorted(allowed))})", source=name, key=key)
        expected = allowed[key]
        if isinstance(value, bool) and expected in (int, (int, float)):
            raise ConfigError(path, "must be a number", source=name, key=key)
        if not isinstance(value, expected):
            raise ConfigError(path, f"must be of type {_type_name(expected)}",
                              source=name, key=key)
    base_url = raw.get("base_url") or DEFAULT_BASE_URLS.get(kind)
    if not base_url:
        raise ConfigError(path, "required for this kind", source=name, key="base_url")
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise ConfigError(path, "must be an http(s) URL", source=name, key="base_url")
    target_key = _REQUIRED_TARGETS.get(kind)
    if target_key and not raw.get(target_key):
        raise ConfigError(path, "required and must not be empty", source=name, key=target_key)
    every, cron = raw.get("every"), raw.get("cron")
    if every is not None and cron is not None:
        raise ConfigError(path, "give either 'every' or 'cron', not both", source=name,
                          key="cron")
    if every is not None:
        try:
            parse_interval(every)
        except ValueError as exc:
            raise ConfigError(path, str(exc), source=name, key="every") from exc
    if cron is not None and len(cron.split()) != 5:
        raise ConfigError(path, "must be a 5-field crontab expression like '*/30 * * * *'",
                          source=name, key="cron")
    _check_list_items(raw, name, path)
    options = {k: v for k, v in raw.items()
               if k not in ("name", "kind", "base_url", "every", "cron", "enabled")}
    return SourceConfig(name=name, kind=kind, base_url=base_url.rstrip("/"), every=every,
                        cron=cron, enabled=raw.get("enabled", True), options=options)


def _check_list_items(raw: dict[str, Any], name: str, path: Path | None) -> None:
    kind = raw["kind"]
    if kind == "reddit":
        for sub in raw.get("subreddits", []):
            if not isinstance(sub, str) or not re.fullmatch(r"[A-Za-z0-9_]{2,21}", sub):
                raise ConfigError(path, f"not a subreddit name: {sub!r}", source=name,
                                  key="subreddits")
    elif kind == "discourse":
        for cat in raw.get("categories", []):
            if not isinstance(cat, str) or not re.fullmatch(r"[\w-]+/\d+", cat):
                raise ConfigError(path, f"expected 'slug/id', got {cat!r}", source=name,
                                  key="categories")
    elif kind == "xenforo":
        for forum in raw.get("forums", []):
            if not isinstance(forum, str) or not re.fullmatch(r"[\w-]*\.?\d+", forum):
                raise ConfigError(path, f"expected 'slug.id', got {forum!r}", source=name,
                                  key="forums")
    elif kind == "phpbb":
        for forum in raw.get("forums", []):
            if isinstance(forum, bool) or not isinstance(forum, int) or forum <= 0:
                raise ConfigError(path, f"expected a forum id (a positive integer), got "
                                  f"{forum!r}", source=name, key="forums")
    elif kind == "vbulletin":
        for forum in raw.get("forums", []):
            if isinstance(forum, bool) or not (
                    (isinstance(forum, int) and forum > 0)
                    or (isinstance(forum, str) and re.fullmatch(r"[\w.-]+(?:/[\w.-]+)*", forum))):
                raise ConfigError(path, "expected a forum id (a positive integer) or a vB5 "
                                  f"forum path like 'forum/hair-loss', got {forum!r}",
                                  source=name, key="forums")


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array"}
    if isinstance(expected, tuple):
        return "number"
    return names.get(expected, expected.__name__)


def _apply_env(config: Config) -> Config:
    from dataclasses import replace

    db = os.environ.get("HAIRLINK_DATABASE_URL")
    redis = os.environ.get("HAIRLINK_REDIS_URL")
    if db:
        config = replace(config, database_url=db)
    if redis:
        config = replace(config, redis_url=redis)
    return config
