"""A lexicon change re-tags only the threads it can affect, with the result of a full run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from aggregator.lexicon import load_lexicon
from aggregator.lexicon_delta import PhraseScanner, lexicon_delta
from aggregator.link_types import ThreadText
from aggregator.run import aggregate
from models.db import session_factory
from models.entities import Thread, ThreadStudyLink, ThreadTreatment
from models.store import ensure_source, upsert_threads
from tests.aggregator.test_run import seed, thread


def packaged() -> dict[str, Any]:
    return json.loads(json.dumps(load_lexicon().raw))


def entry(data: dict[str, Any], tid: str) -> dict[str, Any]:
    return next(t for t in data["treatment"] if t["id"] == tid)


def test_an_added_alias_touches_its_treatment_and_all_its_spellings() -> None:
    old, new = packaged(), packaged()
    entry(new, "castor_oil")["aliases"].append("Ricinus oil")
    delta = lexicon_delta(old, new)
    assert delta is not None and delta.treatments == {"castor_oil"}
    assert {"ricinus oil", "castor oil"} <= delta.phrases
    assert "minoxidil" not in delta.phrases


def test_decoys_and_combos_are_local_changes() -> None:
    old, new = packaged(), packaged()
    new["decoys"].append("Iron Chef")
    new["combo"].append({"aliases": ["big 2"], "treatments": ["finasteride", "minoxidil"]})
    delta = lexicon_delta(old, new)
    assert delta is not None
    assert delta.treatments == {"finasteride", "minoxidil"}
    assert {"iron chef", "big 2"} <= delta.phrases


def test_form_cues_or_an_unknown_old_lexicon_redo_everything() -> None:
    old, new = packaged(), packaged()
    new["forms"]["oral"]["cues"].append("gulped")
    assert lexicon_delta(old, new) is None
    assert lexicon_delta(None, new) is None
    assert lexicon_delta(old, packaged()) == lexicon_delta(old, old)


def test_scanner_matches_whole_words_across_title_body_and_replies() -> None:
    scanner = PhraseScanner(["min", "castor oil"])
    assert scanner.matches(ThreadText(1, "Min.", ""))
    assert scanner.matches(ThreadText(2, "", "", ["I put CASTOR-oil on"]))
    assert not scanner.matches(ThreadText(3, "minimum", "admin castoroil"))
    assert not PhraseScanner([]).matches(ThreadText(4, "min", ""))


def tags(engine: Engine) -> set[tuple[str, str, int]]:
    with session_factory(engine)() as session:
        return {(e, t, m) for e, t, m in session.execute(
            select(Thread.external_id, ThreadTreatment.treatment_id, ThreadTreatment.mentions)
            .join(Thread, Thread.id == ThreadTreatment.thread_id))}


def link_rows(engine: Engine) -> set[tuple[int, int, str, float]]:
    with session_factory(engine)() as session:
        return {(r.thread_id, r.study_id, r.kind, r.score)
                for r in session.scalars(select(ThreadStudyLink))}


def test_lexicon_change_retags_only_affected_threads(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    make = session_factory(engine)
    with make() as session, session.begin():
        source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source_id, [
            thread("r1", "Ricinus oil on my hairline?", "Does ricinus oil do anything?")])
    aggregate(make)
    assert not any(t == "castor_oil" for _, t, _ in tags(engine))
    user = tmp_path / "lexicon.toml"
    user.write_text('[[treatment]]\nid = "castor_oil"\naliases = ["ricinus oil"]\n',
                    encoding="utf-8")
    lexicon = load_lexicon(user)
    stats = aggregate(make, lexicon=lexicon)
    assert stats.lexicon_changed and stats.lexicon_partial
    assert (stats.lexicon_threads, stats.threads_tagged) == (1, 1)
    assert ("r1", "castor_oil", 2) in tags(engine)
    partial_tags, partial_links = tags(engine), link_rows(engine)
    full = aggregate(make, lexicon=lexicon, full=True)
    assert full.threads_tagged == 5
    assert (tags(engine), link_rows(engine)) == (partial_tags, partial_links)
    # back to the packaged lexicon: the same thread loses the tag again
    back = aggregate(make)
    assert back.lexicon_partial and back.threads_tagged == 1
    assert not any(t == "castor_oil" for _, t, _ in tags(engine))
