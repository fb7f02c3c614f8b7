"""Names a user types, checked before a query runs: treatments (ids and lexicon aliases),
sources, study keys, choices and time windows. A wrong one stops the command with exit 2
and a "did you mean ..." hint instead of an empty result."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hairlink.errors import USAGE, UserError, did_you_mean, unknown_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models.config import Config
    from models.entities import Study


# What `posts`, `studies` and `treatments` print: a table, JSON or CSV (`--format`).
OUTPUT_FORMATS = ("table", "json", "csv")


def check_choice(value: str, choices: Sequence[str], option: str) -> str:
    """`value` when it is one of `choices`; else exit 2 with the closest choice."""
    if value in choices:
        return value
    hint = did_you_mean(value, choices)
    hint = hint if hint.startswith("; did") else ""
    raise UserError(f"{option} must be one of {', '.join(choices)}, not {value!r}{hint}", USAGE)


def treatment_names(lexicon_path: Path | str | None) -> dict[str, str]:
    """Every name a treatment can be given by on the command line -> its id: the ids, their
    spaced forms and the lexicon's aliases that mean one treatment only."""
    from aggregator.lexicon import alias_key, load_lexicon

    lexicon = load_lexicon(lexicon_path)
    names = {tid: tid for tid in lexicon.treatments}
    for alias, targets in lexicon.aliases.items():
        ids = {t.treatment for t in targets}
        if len(ids) == 1:
            names.setdefault(alias, ids.pop())
    names.update({alias_key(tid): tid for tid in lexicon.treatments})
    return names


def resolve_treatments(values: Iterable[str], lexicon_path: Path | str | None,
                       option: str = "--treatment") -> list[str]:
    """Treatment ids for what was typed (an id or an alias such as `minox`); exit 2 with
    "did you mean" for a name the lexicon does not know."""
    from aggregator.lexicon import LexiconError, alias_key

    wanted = [v.strip() for v in values if v.strip()]
    if not wanted:
        return []
    try:
        names = treatment_names(lexicon_path)
    except (LexiconError, OSError) as exc:
        raise UserError(f"lexicon: {exc}", USAGE) from None
    ids: list[str] = []
    for value in wanted:
        tid = names.get(value.lower()) or names.get(alias_key(value))
        if tid is None:
            close = difflib.get_close_matches(alias_key(value), list(names), n=12, cutoff=0.6)
            ids = list(dict.fromkeys(names[c] for c in close))[:3]
            hint = ("; did you mean " + " or ".join(repr(i) for i in ids) + "?" if ids else
                    "; the lexicon (aggregator/lexicon.toml) lists them")
            raise UserError(f"unknown treatment {value!r} ({option}){hint}", USAGE)
        ids.append(tid)
    return list(dict.fromkeys(ids))


def known_sources(session: Session, config: Config) -> list[str]:
    """Source names a filter can name: the configured ones and those with stored threads."""
    from sqlalchemy import select

    from models.entities import Source

    return sorted({s.name for s in config.sources} | set(session.scalars(select(Source.name))))


def check_source(session: Session, config: Config, name: str | None,
                 option: str = "--source") -> str | None:
    """`name` when it is a configured or stored source; else exit 2 with the closest."""
    if name is None:
        return None
    names = known_sources(session, config)
    if name not in names:
        raise unknown_name("source", name, names, option)
    return name


def find_study_or_exit(session: Session, key: str, option: str = "KEY") -> Study:
    """The stored study `key` names; a malformed key or an unknown study is exit 2 (with
    the closest stored keys for an unknown one)."""
    from models.study_keys import StudyKeyError, StudyNotFound, find_study

    try:
        return find_study(session, key)
    except StudyKeyError as exc:
        raise UserError(f"{option}: {exc}", USAGE) from None
    except StudyNotFound as exc:
        raise UserError(f"{option}: {exc}{_close_study_keys(session, key)}", USAGE) from None


def _close_study_keys(session: Session, key: str) -> str:
    import difflib

    from sqlalchemy import select

    from models.entities import Study
    from models.identifiers import study_key

    keys = [study_key(p, d, c, i) for i, p, d, c in session.execute(
        select(Study.id, Study.pmid, Study.doi, Study.pmcid))]
    typed = key.strip().lower()
    if ":" not in typed:
        typed = f"pmid:{typed}" if typed.isdigit() else f"doi:{typed}"
    close = difflib.get_close_matches(typed, keys, n=3, cutoff=0.75)
    if close:
        return "; did you mean " + " or ".join(close) + "?"
    return "; `hairlink studies` lists the stored keys" if keys else (
        "; no studies are stored yet")


def check_window(since: datetime | None, until: datetime | None) -> None:
    """Exit 2 when `--since` is not before `--until`."""
    if since is not None and until is not None and since >= until:
        raise UserError(f"--since ({since:%Y-%m-%d %H:%M}) is not before --until "
                        f"({until:%Y-%m-%d %H:%M}): nothing can match; swap them?", USAGE)
