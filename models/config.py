"""hairlink configuration: a TOML file, validated as a whole when it is loaded.

Lookup order: an explicit path, else `$HAIRLINK_CONFIG`, else `./hairlink.toml`; a missing
default file means the embedded defaults. `$HAIRLINK_DATABASE_URL` overrides `[database] url`,
`$HAIRLINK_REDIS_URL` overrides `[redis] url`.

The schema is declared once: the `[[sources]]` models with the source-kind registry
(`models.source_kinds`), the other tables in `models.config_schema`. Anything wrong is one
ConfigError naming the file, the table or source and the key, with "did you mean" for a
misspelled key or kind.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.intervals import parse_interval

if TYPE_CHECKING:  # the schema (pydantic) loads when a config file is parsed, not before
    from pydantic import ValidationError

    from models.config_schema import Section
    from models.source_kinds import SourceModel

__all__ = ["DEFAULT_DATABASE_URL", "Config", "ConfigError", "SourceConfig", "find_config_path",
           "load_config", "parse_config", "parse_interval"]

DEFAULT_DATABASE_URL = "sqlite:///hairlink.db"
DEFAULT_CONFIG_NAME = "hairlink.toml"
# The top-level keys of a `[[sources]]` entry that SourceConfig holds as attributes.
_SOURCE_ATTRIBUTES = ("name", "kind", "base_url", "every", "cron", "enabled")


class ConfigError(ValueError):
    """A bad configuration: names the file, the source (if any) and the key."""

    def __init__(self, path: Path | None, message: str, *, source: str | None = None,
                 key: str | None = None) -> None:
        self.path = path
        self.source = source
        self.key = key
        self.reason = message
        where = str(path) if path else "<defaults>"
        if source is not None:
            where += f": source {source!r}"
        if key is not None:
            where += f": key {key!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceConfig:
    """One `[[sources]]` entry; `settings` is its validated model (None when built by hand)."""

    name: str
    kind: str
    base_url: str
    every: str | None = None
    cron: str | None = None
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    settings: SourceModel | None = field(default=None, compare=False, repr=False)

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
    tables: dict[str, Section] = field(default_factory=dict, compare=False, repr=False)

    def source(self, name: str) -> SourceConfig:
        """The source called `name`; KeyError with the known names if absent."""
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise KeyError(f"no source named {name!r} (configured: {known})")

    def section(self, name: str) -> dict[str, Any]:
        """A table such as `[export]` or `[schedule]`: the keys it gives (empty if absent)."""
        return self.sections.get(name, {})

    def table(self, name: str) -> Section:
        """The validated model of a table (`[schedule]` -> ScheduleTable), defaults filled."""
        from models.config_schema import TABLES

        return self.tables.get(name) or TABLES[name]()


def config_relative(config_path: Path | None, value: str) -> Path:
    """A path the config file names: `~` expanded, and a relative one taken from the
    config file's folder (from the working directory when there is no file)."""
    result = Path(value).expanduser()
    if config_path is not None and not result.is_absolute():
        result = config_path.parent / result
    return result


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
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                          "TOML") from exc
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from exc
    return _apply_env(parse_config(data, path))


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed TOML document; ConfigError names the first thing wrong."""
    from models.config_schema import TABLES, TOP_LEVEL_KEYS

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(path, "unknown top-level key" + _suggest(key, TOP_LEVEL_KEYS),
                              key=key)
    tables = {name: _table(data, name, model, path) for name, model in TABLES.items()
              if name in data}
    lexicon = data.get("lexicon")
    if lexicon is not None and (not isinstance(lexicon, str) or not lexicon):
        raise ConfigError(path, "must be a path to a lexicon TOML file", key="lexicon")
    lexicon_path = config_relative(path, lexicon) if lexicon else None
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
    sections = {name: table.model_dump(exclude_unset=True) for name, table in tables.items()}
    database, redis = sections.get("database", {}), sections.get("redis", {})
    return Config(path=path, database_url=database.get("url", DEFAULT_DATABASE_URL),
                  redis_url=redis.get("url"), sources=tuple(sources), lexicon=lexicon_path,
                  contact=contact, sections=sections, tables=tables)


def _table(data: dict[str, Any], name: str, model: type[Section], path: Path | None
           ) -> Section:
    from pydantic import ValidationError

    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(path, f"must be a table: [{name}]", key=name)
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        key, message = _first_problem(exc, model, f"unknown key in [{name}]")
        raise ConfigError(path, message, key=f"{name}.{key}" if key else name) from None


def _parse_source(raw: Any, index: int, path: Path | None) -> SourceConfig:
    from pydantic import ValidationError

    from models.source_kinds import SOURCE_NAME, kind_names, source_kind

    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(path, "must be a table", source=label)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(path, "required: a unique name", source=label, key="name")
    if not SOURCE_NAME.fullmatch(name):
        raise ConfigError(path, "use letters, digits, '.', '_' or '-' only",
                          source=name, key="name")
    kind_name = raw.get("kind")
    if not isinstance(kind_name, str):
        raise ConfigError(path, f"required: one of {', '.join(kind_names())}", source=name,
                          key="kind")
    try:
        kind = source_kind(kind_name)
    except KeyError:
        raise ConfigError(path, f"unknown kind {kind_name!r}" + _suggest(kind_name,
                          kind_names()), source=name, key="kind") from None
    try:
        model = kind.model.model_validate(raw)
    except ValidationError as exc:
        key, message = _first_problem(exc, kind.model, f"unknown key for a {kind_name} source")
        raise ConfigError(path, message, source=name, key=key or None) from None
    base_url = model.base_url or kind.default_base_url
    if not base_url:
        raise ConfigError(path, f"required for a {kind_name} source", source=name,
                          key="base_url")
    options = {key: value for key, value in model.model_dump(exclude_unset=True).items()
               if key not in _SOURCE_ATTRIBUTES}
    return SourceConfig(name=name, kind=kind_name, base_url=base_url.rstrip("/"),
                        every=model.every, cron=model.cron, enabled=model.enabled,
                        options=options, settings=model)


# -- turning a pydantic error into one line --------------------------------------------------
_TYPE_NAMES = {"string_type": "a string", "int_type": "an integer", "int_from_float":
               "an integer", "float_type": "a number", "bool_type": "true or false",
               "list_type": "an array", "dict_type": "a table", "model_type": "a table",
               "model_attributes_type": "a table"}


def _first_problem(exc: ValidationError, model: type[Section], unknown_key: str
                   ) -> tuple[str, str]:
    """(key, message) of the error to report: an unknown key first (a misspelling also makes
    the intended key look missing), else the first error."""
    from models.config_types import KeyProblem

    errors = exc.errors(include_url=False)
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    error = (unknown or errors)[0]
    loc = [part for part in error["loc"] if isinstance(part, str | int)]
    key = str(loc[0]) if loc else ""
    # A union (`int | str`) reports one error per member: a value error beats a type error.
    place = _place(error)
    alike = [e for e in errors if _place(e) == place]
    if len(alike) > 1:
        checks = [e for e in alike if e["type"] not in _TYPE_NAMES]
        if checks:
            error = checks[0]
        else:
            wanted = dict.fromkeys(_TYPE_NAMES[e["type"]] for e in alike)
            message = f"must be {' or '.join(wanted)} (got {_shown(error.get('input'))})"
            return key, _in_item(loc, message)
    ctx = error.get("ctx") or {}
    problem = ctx.get("error")
    if isinstance(problem, KeyProblem):
        return problem.key, str(problem)
    if error["type"] == "extra_forbidden":
        known = [name for name in model.model_fields if name != "kind"]
        return key, unknown_key + _suggest(key, known)
    return key, _in_item(loc, _message(error["type"], ctx, error))


def _place(error: Any) -> tuple[Any, ...]:
    """The key and list positions of an error (without a union member's tag)."""
    loc = error["loc"]
    return (loc[0], *(part for part in loc[1:] if isinstance(part, int))) if loc else ()


def _in_item(loc: list[Any], message: str) -> str:
    items = [part for part in loc[1:] if isinstance(part, int)]
    return f"item {items[0] + 1}: {message}" if items else message


def _message(kind: str, ctx: dict[str, Any], error: Any) -> str:
    got = _shown(error.get("input"))
    if kind == "missing":
        return "required"
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]} (got {got})"
    bounds = {"greater_than_equal": ("at least", "ge"), "greater_than": ("greater than", "gt"),
              "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}
    if kind in bounds:
        words, name = bounds[kind]
        return f"must be {words} {_number(ctx.get(name))} (got {got})"
    if kind == "finite_number":
        return f"must be a finite number (got {got})"
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "required and must not be empty"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"not a valid value: {got}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", "invalid value"))


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" for a close match, else the known names."""
    names: Sequence[str] = sorted(candidates)
    if not names:
        return " (this table takes no keys yet)"
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6) or [
        name for name in names
        if min(len(name), len(word)) >= 3 and (word.startswith(name) or name.startswith(word))]
    if close:
        return f"; did you mean {close[0]!r}?"
    return f" (known: {', '.join(names)})"


def _apply_env(config: Config) -> Config:
    db = os.environ.get("HAIRLINK_DATABASE_URL")
    redis = os.environ.get("HAIRLINK_REDIS_URL")
    if db:
        config = replace(config, database_url=db)
    if redis:
        config = replace(config, redis_url=redis)
    return config
