"""Outcomes and summaries through `aggregate()` and the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from aggregator import summaries as summariser
from aggregator.lexicon import load_lexicon
from aggregator.outcome_config import default_cues, filtered
from aggregator.outcomes import load_outcome_cues
from aggregator.run import aggregate
from aggregator.store import CUES_HASH_KEY, SUMMARY_VERSION_KEY, get_meta, set_meta, sync_treatments
from hairlink.app import app
from models.db import make_engine, session_factory
from models.entities import Study, Thread, ThreadStudyLink, ThreadTreatment
from models.store import ThreadIn, ensure_source, upsert_threads
from models.study_stats import count_studies, stored_counts
from models.study_store import upsert_study
from models.treatment_stats import treatment_stats

WHEN = datetime(2025, 5, 1, tzinfo=UTC)
runner = CliRunner()


def thread(ext: str, title: str, body: str, replies: list[str] | None = None,
           score: int = 10) -> ThreadIn:
    return {"external_id": ext, "url": f"https://forum.invalid/t/{ext}", "title": title,
            "body": body, "created_at": WHEN, "score": score,
            "replies": [{"external_id": f"{ext}-{i}", "body": r, "score": 5 - i}
                        for i, r in enumerate(replies or [])]}


THREADS = [
    thread("a", "Oral minoxidil 9 months", "Oral minoxidil 2.5mg regrew my crown. "
           "Downside: my ankles got puffy.", ["Same here, oral min gave me a dense crown."],
           score=300),
    thread("b", "Rogaine did nothing", "A year of Rogaine foam did nothing for me and my "
           "scalp got itchy.", score=40),
    thread("c", "Fin or dut?", "Scared of sides. Is finasteride worth it for a 22 year old?",
           ["Most people never get sides."], score=20),
    thread("d", "Link", "https://example.com/only-a-link", score=1),
    thread("e", "Fin + min 2 years", "Fin + min kept my hairline exactly where it was, "
           "which is a win. I quit fin for a month because of the sides.", score=90),
]
STUDY = {"doi": "10.1001/jamadermatol.2024.0284",
         "title": "Oral minoxidil vs topical minoxidil for male androgenetic alopecia",
         "abstract": "Men took oral minoxidil tablets or applied topical minoxidil solution; "
                     "hair density changed similarly."}


def seed(engine: Engine, threads: list[ThreadIn] | None = None) -> None:
    with session_factory(engine)() as session, session.begin():
        sync_treatments(session, load_lexicon())
        source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source_id, threads or THREADS)
        upsert_study(session, STUDY)


def stored(session: Session) -> dict[tuple[str, str], tuple[str, list[str]]]:
    session.expire_all()
    rows = session.execute(select(Thread.external_id, ThreadTreatment.treatment_id,
                                  ThreadTreatment.effect, ThreadTreatment.side_effects)
                           .join(Thread, Thread.id == ThreadTreatment.thread_id))
    out = {(ext, tid): (effect, list(sides)) for ext, tid, effect, sides in rows}
    session.rollback()  # end the read (SQLite: the next aggregate writes)
    return out


def link_rows(session: Session) -> list[tuple[object, ...]]:
    session.expire_all()
    out = sorted(tuple(r) for r in session.execute(
        select(ThreadStudyLink.thread_id, ThreadStudyLink.study_id, ThreadStudyLink.kind,
               ThreadStudyLink.score, ThreadStudyLink.evidence)))
    session.rollback()
    return out


def summaries(session: Session) -> dict[str, str | None]:
    session.expire_all()
    out = {ext: s for ext, s in session.execute(select(Thread.external_id, Thread.summary))}
    session.rollback()
    return out


def test_aggregate_stores_outcomes_and_summaries(engine: Engine, session: Session) -> None:
    seed(engine)
    aggregate(session_factory(engine))
    got = stored(session)
    assert got[("a", "minoxidil")] == ("improved", ["cardio"])
    assert got[("b", "minoxidil")] == ("no_effect", ["skin"])
    assert got[("c", "finasteride")] == ("none", [])
    assert got[("e", "finasteride")] == ("improved", ["sexual"])
    assert got[("e", "minoxidil")] == ("improved", [])
    texts = summaries(session)
    assert texts["a"].startswith("A poster says: Oral minoxidil nine months.")
    # the aggregator passes the thread's tags: "min" is spelled out (thread tagged minoxidil)
    assert "A reply: Same here, oral minoxidil gave me a dense crown." in texts["a"]
    assert texts["d"] == "A poster says: Link."  # a link-only thread: the title alone
    assert all(len(s.split()) <= 45 for s in texts.values() if s)
    assert get_meta(session, CUES_HASH_KEY) == default_cues().version_hash


def test_incremental_recompute(engine: Engine, session: Session, tmp_path: Path) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    again = aggregate(make)
    assert again.threads_tagged == 0 and not again.cues_changed
    # an edited thread is redone, and only it
    edited = [thread("b", "Rogaine update", "Rogaine foam for a year: my crown is "
                     "denser now, no itch at all.", score=40)]
    seed(engine, edited)
    stats = aggregate(make)
    assert stats.threads_tagged == 1
    got = stored(session)
    assert got[("b", "minoxidil")] == ("improved", [])
    assert "denser" in summaries(session)["b"]
    # a changed cue file re-reads the outcomes of every tagged thread (not the untagged
    # ones), alone: nothing is re-tagged, and only the outcome that moved is written
    extra = tmp_path / "cues.toml"
    extra.write_text('[side_effects]\nother = ["a win"]\n', encoding="utf-8")
    before = stored(session)
    stats = aggregate(make, cues=filtered(load_outcome_cues(extra)))
    assert stats.cues_changed and stats.threads_tagged == 0
    assert (stats.outcomes_reread, stats.outcomes_changed) == (4, 1)
    after = stored(session)
    assert after[("e", "minoxidil")] == ("improved", ["other"])
    assert {k: v for k, v in after.items() if k[0] != "e"} == \
        {k: v for k, v in before.items() if k[0] != "e"}
    assert get_meta(session, CUES_HASH_KEY) == filtered(load_outcome_cues(extra)).version_hash
    session.rollback()
    assert not aggregate(make, cues=filtered(load_outcome_cues(extra))).cues_changed


def test_cue_change_rewrites_outcomes_only(engine: Engine, session: Session,
                                           tmp_path: Path) -> None:
    """A cue-file change leaves links, summaries and tag rows' other columns alone (no
    DELETE or INSERT), re-reads the outcomes as a full run with the new cues finds them,
    and recounts the studies of the threads whose outcomes moved."""
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    links, texts = link_rows(session), summaries(session)
    assert links  # (thread "a" is linked to the study)
    extra = tmp_path / "cues.toml"
    # (a phrase of the reply that starts ahead of its gain "gave me a dense crown")
    extra.write_text('[side_effects]\nbody_hair = ["min gave me"]\n', encoding="utf-8")
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        stats = aggregate(make, cues=filtered(load_outcome_cues(extra)))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    written = [s for s in statements if s.lstrip().upper().startswith(("DELETE", "INSERT"))
               and ("thread_study_link" in s or "thread_treatment" in s)]
    assert written == []
    assert stats.outcomes_changed >= 1 and stats.topic_links_added == 0
    assert link_rows(session) == links and summaries(session) == texts
    assert stored(session)[("a", "minoxidil")] == ("improved", ["cardio", "body_hair"])
    with make() as reading:  # the study's stored counts follow (stored = live)
        ids = list(reading.scalars(select(Study.id)))
        kept, live = stored_counts(reading, ids), count_studies(reading, ids)
        assert {i: sorted(kept[i].outcomes) for i in ids} == \
            {i: sorted(live[i].outcomes) for i in ids}
    incremental = stored(session)
    aggregate(make, full=True, cues=filtered(load_outcome_cues(extra)))
    assert stored(session) == incremental  # what a full run with these cues stores
    session.rollback()


def test_new_summariser_version_redoes_stored_summaries(engine: Engine,
                                                        session: Session) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    assert get_meta(session, SUMMARY_VERSION_KEY) == summariser.VERSION
    fresh = summaries(session)
    with make() as writing, writing.begin():  # as a database summarised by an older version
        set_meta(writing, SUMMARY_VERSION_KEY, "2")
        writing.execute(Thread.__table__.update().values(summary="stale"))
    stats = aggregate(make)
    assert stats.summaries_changed and stats.threads_tagged == len(THREADS)
    assert summaries(session) == fresh
    assert not aggregate(make).summaries_changed
    session.rollback()


def test_run_without_outcomes_leaves_them_to_the_next(engine: Engine,
                                                      session: Session) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make, outcomes=False)  # (measuring their cost): no summaries, no outcomes
    assert get_meta(session, SUMMARY_VERSION_KEY) is None
    assert get_meta(session, CUES_HASH_KEY) is None
    assert set(summaries(session).values()) == {None}
    stats = aggregate(make)
    assert stats.summaries_changed and summaries(session)["d"] == "A poster says: Link."
    assert stored(session)[("a", "minoxidil")] == ("improved", ["cardio"])
    session.rollback()


def test_treatment_stats(engine: Engine, session: Session) -> None:
    seed(engine)
    aggregate(session_factory(engine))
    stats = {s.treatment: s for s in treatment_stats(session)}
    minox = stats["minoxidil"]
    assert minox.threads == 3
    assert minox.effects == {"improved": 2, "no_effect": 1, "mixed": 0, "none": 0}
    assert minox.shares["improved"] == pytest.approx(2 / 3)
    assert minox.side_effects == {"cardio": 1, "skin": 1}
    assert [t.external_id for t in minox.examples["improved"]] == ["a", "e"]
    assert minox.examples["improved"][0].summary.startswith("A poster says:")
    assert [s.key for s in minox.top_studies] == ["doi:10.1001/jamadermatol.2024.0284"]
    assert minox.top_studies[0].threads >= 1
    assert [s.treatment for s in treatment_stats(session, ["finasteride", "nope"])] == \
        ["finasteride"]
    assert treatment_stats(session, ["finasteride"])[0].as_dict()["reported"] == 1


@pytest.fixture
def cli_config(db_url: str, tmp_path: Path) -> Path:
    config = tmp_path / "hairlink.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "init"]).exit_code == 0
    engine = make_engine(db_url)
    seed(engine)
    engine.dispose()
    result = runner.invoke(app, ["--config", str(config), "aggregate"])
    assert result.exit_code == 0, result.output
    return config


def cli(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_cli_posts_outcomes_and_filters(cli_config: Path) -> None:
    code, out = cli(cli_config, "posts", "--format", "json", "--sort", "score")
    assert code == 0, out
    posts = {p["external_id"]: p for p in json.loads(out)}
    assert posts["a"]["outcomes"] == {"minoxidil": {"effect": "improved",
                                                    "side_effects": ["cardio"]}}
    assert posts["a"]["summary"].startswith("A poster says: Oral minoxidil")

    def ids(*args: str) -> list[str]:
        code, out = cli(cli_config, "posts", "--format", "json", "--sort", "score", *args)
        assert code == 0, out
        return [p["external_id"] for p in json.loads(out)]

    assert ids("--effect", "improved") == ["a", "e"]
    assert ids("--effect", "no_effect") == ["b"]
    assert ids("--side-effect", "sexual") == ["e"]
    assert ids("--side-effect", "sexual", "--treatment", "minoxidil") == []
    assert ids("--effect", "improved", "--treatment", "finasteride") == ["e"]
    code, out = cli(cli_config, "posts", "--format", "csv", "--effect", "no_effect")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["outcomes"] == "minoxidil=no_effect(skin)"
    assert rows[0]["summary"].startswith("A poster says: Rogaine did nothing. A year of Rogaine")
    code, out = cli(cli_config, "posts", "--effect", "great")
    assert code == 2 and "--effect" in out


def test_cli_treatments(cli_config: Path) -> None:
    code, out = cli(cli_config, "treatments", "--format", "json")
    assert code == 0, out
    data = {t["treatment"]: t for t in json.loads(out)}
    assert data["minoxidil"]["effects"]["improved"] == 2
    assert data["minoxidil"]["examples"]["no_effect"][0]["external_id"] == "b"
    code, out = cli(cli_config, "treatments", "minoxidil", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["treatment"] == "minoxidil" and row["improved"] == "2"
    assert row["side_effects"] == "cardio=1;skin=1"
    code, out = cli(cli_config, "treatments", "minoxidil")
    assert code == 0 and "2 improved" in out and "67%" in out
    code, out = cli(cli_config, "treatments", "unobtainium")
    assert code == 2 and "unobtainium" in out and "Traceback" not in out


def test_cli_refuses_a_bad_cue_file(cli_config: Path, db_url: str) -> None:
    bad = cli_config.parent / "cues.toml"
    bad.write_text('[effect]\nimproved = ["ok"]\nno_effect = 3\n', encoding="utf-8")
    text = cli_config.read_text(encoding="utf-8")
    cli_config.write_text(text + '[aggregate]\noutcome_cues = "cues.toml"\n', encoding="utf-8")
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        before = stored(session), get_meta(session, CUES_HASH_KEY)
    code, out = cli(cli_config, "aggregate", "--full")
    assert code == 2
    assert "cues.toml: line 3: [effect] no_effect" in " ".join(out.split())
    with session_factory(engine)() as session:
        assert (stored(session), get_meta(session, CUES_HASH_KEY)) == before
    engine.dispose()
