"""Treatment display names for reader-facing text: the `treatment` table's names by id.

Ids (`rosemary_oil`) stay in everything machines read (JSON, CSV, URLs, query parameters,
CSS classes); pages, Markdown and terminal tables show `treatment_name` ("Rosemary oil"),
and `in_sentence` of it inside running text ("Of 12 threads on rosemary oil: ...").
Names come from a user-extendable lexicon: they are untrusted text, escaped where rendered.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import Treatment


def display_names(session: Session) -> dict[str, str]:
    """Every stored treatment's display name by id (one query of the `treatment` table)."""
    return {tid: name for tid, name in session.execute(select(Treatment.id, Treatment.name))}


def treatment_name(treatment_id: str, names: Mapping[str, str] | None = None) -> str:
    """The display name of a treatment: its stored name (`names`, from `display_names`),
    else its id with underscores as spaces (`pumpkin_seed_oil` -> "pumpkin seed oil")."""
    name = (names or {}).get(treatment_id)
    return name.strip() if name and name.strip() else treatment_id.replace("_", " ")


def in_sentence(name: str) -> str:
    """A display name as it reads inside a sentence: its first letter lower-cased ("Rosemary
    oil" -> "rosemary oil", "Vitamin D" -> "vitamin D"), unless its first word is written in
    capitals or with digits, as an acronym or code is ("PRP", "RU58841")."""
    first = name.split(" ", 1)[0]
    if not first[:1].isupper() or first[1:] != first[1:].lower():
        return name
    return name[:1].lower() + name[1:]
