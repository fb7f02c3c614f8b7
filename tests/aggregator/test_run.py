"""`aggregate()` over the store on SQLite and PostgreSQL: tags, links, incremental runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from aggregator.lexicon import load_lexicon
from aggregator.link_types import LinkSettings
from aggregator.run import aggregate
from aggregator.store import LEXICON_HASH_KEY, get_meta, sync_treatments
from hairlink.app import app
from models.db import make_engine, session_factory
from models.entities import (
    Study,
    StudyTreatment,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    Treatment,
)
from models.store import ThreadIn, ensure_source, upsert_threads
from models.study_store import StudyIn, upsert_study

WHEN = datetime(2025, 5, 1, tzinfo=UTC)
ORAL_VS_TOPICAL: StudyIn = {
    "doi": "10.1001/jamadermatol.2024.0284",
    "title": "Oral minoxidil vs topical minoxidil for male androgenetic alopecia",
    "abstract": "Men took 5 mg oral minoxidil tablets or applied 5% topical minoxidil "
                "solution for 24 weeks; hair density changed similarly.",
    "tldr": "Oral minoxidil was not clearly better than topical minoxidil.",
}
ROSEMARY: StudyIn = {
    "pmid": "25842469",
    "title": "Rosemary oil vs minoxidil 2% for the treatment of androgenetic alopecia",
    "abstract": "Rosemary oil and minoxidil 2% gave a similar hair count increase at six "
                "months; scalp itching was commoner with minoxidil.",
    "treatments": ["biotin"],  # set by an importer: kept by the aggregator
}


def thread(ext: str, title: str, body: str, replies: list[str] | None = None) -> ThreadIn:
    return {"external_id": ext, "url": f"https://forum.invalid/t/{ext}", "title": title,
            "body": body, "created_at": WHEN,
            "replies": [{"external_id": f"{ext}-{i}", "body": r}
                        for i, r in enumerate(replies or [])]}


THREADS = [
    thread("t1", "Oral vs topical minoxidil?", "Liquid minox flakes, thinking LDOM 2.5mg. "
           "Anyone switched from topical to oral? https://doi.org/10.1001/jamadermatol.2024.0284"),
    thread("t2", "Rosemary oil instead of min", "Is rosemary oil as good as minoxidil 2%?",
           ["PMID: 25842469 is the study"]),
    thread("t3", "Finally some good news", "The keto diet and 5 min walks made me feel fine."),
    thread("t4", "Kirkland foam 6 months", "Kirkland 5% foam twice a day, crown better."),
]


def seed(engine: Engine, studies: list[StudyIn] | None = None) -> None:
    make = session_factory(engine)
    with make() as session, session.begin():
        sync_treatments(session, load_lexicon())  # an importer's treatments need the rows
        source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source_id, THREADS)
        for item in studies if studies is not None else [ORAL_VS_TOPICAL, ROSEMARY]:
            upsert_study(session, item)


def thread_id(session: Session, ext: str) -> int:
    return session.scalar(select(Thread.id).where(Thread.external_id == ext))


def links(session: Session) -> dict[tuple[str, str], ThreadStudyLink]:
    out = {}
    for link in session.scalars(select(ThreadStudyLink)):
        ext = session.get(Thread, link.thread_id).external_id
        study = session.get(Study, link.study_id)
        out[(ext, study.doi or study.pmid)] = link
    return out


def test_tags_links_and_state(engine: Engine, session: Session) -> None:
    seed(engine)
    stats = aggregate(session_factory(engine))
    assert stats.lexicon_changed and stats.threads_tagged == 4 and stats.studies_changed == 2
    assert session.scalar(select(Treatment.name).where(Treatment.id == "minoxidil")) == \
        "Minoxidil"
    tags = {(session.get(Thread, tt.thread_id).external_id, tt.treatment_id): tt
            for tt in session.scalars(select(ThreadTreatment))}
    assert set(tags) == {("t1", "minoxidil"), ("t2", "rosemary_oil"), ("t2", "minoxidil"),
                         ("t4", "minoxidil")}
    assert tags[("t1", "minoxidil")].forms == ["oral", "topical"]
    assert tags[("t1", "minoxidil")].locations == ["title", "body"]
    assert tags[("t4", "minoxidil")].mentions == 2
    found = links(session)
    cited = found[("t1", "10.1001/jamadermatol.2024.0284")]
    assert cited.kind == "citation" and cited.score > 1.0
    assert cited.evidence["identifier"] == "doi:10.1001/jamadermatol.2024.0284"
    assert found[("t2", "25842469")].kind == "citation"
    assert found[("t2", "25842469")].evidence["identifier"] == "pmid:25842469"
    topic = found[("t4", "10.1001/jamadermatol.2024.0284")]
    assert topic.kind == "topic" and 0 < topic.score < 1
    assert topic.evidence["treatments"] == ["minoxidil"]
    assert not any(ext == "t3" for ext, _ in found)
    rosemary = session.scalar(select(Study.id).where(Study.pmid == "25842469"))
    assert set(session.scalars(select(StudyTreatment.treatment_id)
                               .where(StudyTreatment.study_id == rosemary))) == \
        {"biotin", "minoxidil", "rosemary_oil"}
    assert get_meta(session, LEXICON_HASH_KEY) == load_lexicon().version_hash
    assert session.scalar(select(Thread.aggregated_hash).where(Thread.external_id == "t1")) == \
        session.scalar(select(Thread.content_hash).where(Thread.external_id == "t1"))


def test_incremental_runs_only_redo_what_changed(engine: Engine, session: Session) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    again = aggregate(make)
    assert (again.threads_tagged, again.threads_scanned, again.studies_changed) == (0, 0, 0)
    with make() as s, s.begin():
        source_id = ensure_source(s, "forum", "discourse", "https://forum.invalid")
        upsert_threads(s, source_id, [thread("t3", "Finally some good news",
                                             "Started fin 1mg and Rogaine foam.")])
    stats = aggregate(make)
    assert stats.threads_tagged == 1 and stats.threads_scanned == 1
    session.expire_all()
    t3 = thread_id(session, "t3")
    assert set(session.scalars(select(ThreadTreatment.treatment_id)
                               .where(ThreadTreatment.thread_id == t3))) == \
        {"finasteride", "minoxidil"}
    assert ("t3", "10.1001/jamadermatol.2024.0284") in links(session)
    assert ("t1", "10.1001/jamadermatol.2024.0284") in links(session)


def test_new_study_is_linked_to_old_threads(engine: Engine, session: Session) -> None:
    seed(engine, studies=[ORAL_VS_TOPICAL])
    make = session_factory(engine)
    aggregate(make)
    with make() as s, s.begin():
        upsert_study(s, ROSEMARY)
    stats = aggregate(make)
    assert stats.studies_changed == 1 and stats.threads_tagged == 0
    assert stats.threads_scanned == 4
    found = links(session)
    assert found[("t2", "25842469")].kind == "citation"
    assert ("t1", "10.1001/jamadermatol.2024.0284") in found


def test_a_study_gaining_an_identifier_or_treatments_is_relinked(engine: Engine,
                                                                 session: Session) -> None:
    """What the linker reads of a study besides its text: identifiers (a thread citing the
    new one becomes a citation link) and importer-set treatments."""
    seed(engine, studies=[{k: v for k, v in ROSEMARY.items() if k != "treatments"}])
    make = session_factory(engine)
    with make() as s, s.begin():
        source_id = ensure_source(s, "forum", "discourse", "https://forum.invalid")
        upsert_threads(s, source_id, [thread("t5", "The PMC paper", "See PMC4567890 on it.")])
    aggregate(make)
    assert ("t5", "25842469") not in links(session)
    session.rollback()
    with make() as s, s.begin():
        upsert_study(s, {"pmid": "25842469", "pmcid": "PMC4567890"})
    stats = aggregate(make)
    assert stats.studies_changed == 1
    assert links(session)[("t5", "25842469")].kind == "citation"
    session.rollback()
    with make() as s, s.begin():
        upsert_study(s, {"pmid": "25842469", "treatments": ["biotin"]})
    assert aggregate(make).studies_changed == 1
    assert aggregate(make).studies_changed == 0


def test_lexicon_change_and_full_redo_everything(engine: Engine, session: Session,
                                                 tmp_path: Path) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    extra = tmp_path / "lexicon.toml"
    extra.write_text('[[treatment]]\nid = "minoxidil"\nremove_aliases = ["kirkland"]\n',
                     encoding="utf-8")
    stats = aggregate(make, lexicon=load_lexicon(extra))
    assert stats.lexicon_changed and stats.threads_tagged == 4
    t4 = thread_id(session, "t4")
    assert list(session.scalars(select(ThreadTreatment.treatment_id)
                                .where(ThreadTreatment.thread_id == t4))) == []
    session.rollback()  # SQLite transactions take the write lock: end this read first
    full = aggregate(make, full=True, lexicon=load_lexicon(extra))
    assert full.full and not full.lexicon_changed and full.threads_tagged == 4


def test_threshold_and_cap_per_study(engine: Engine, session: Session) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make, settings=LinkSettings(topic_threshold=0.0, max_topic_links=1))
    topic = [link for link in links(session).values() if link.kind == "topic"]
    per_study: dict[int, int] = {}
    for link in topic:
        per_study[link.study_id] = per_study.get(link.study_id, 0) + 1
    assert per_study and max(per_study.values()) == 1
    session.rollback()
    aggregate(make, full=True, settings=LinkSettings(topic_threshold=2.0))
    session.expire_all()
    assert [link for link in links(session).values() if link.kind == "topic"] == []


def test_cli_aggregate(db_url: str, tmp_path: Path) -> None:
    config = tmp_path / "hairlink.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[aggregate]\nmax_topic_links = 5\n',
                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(config), "init"]).exit_code == 0
    engine = make_engine(db_url)
    seed(engine)
    engine.dispose()
    result = runner.invoke(app, ["--config", str(config), "aggregate", "--format", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["threads_tagged"] == 4 and stats["citation_links"] == 2
    result = runner.invoke(app, ["--config", str(config), "aggregate", "--full"])
    assert result.exit_code == 0, result.output
    assert "full run: 4 threads tagged" in result.output


def test_cli_refuses_a_bad_lexicon(tmp_path: Path) -> None:
    bad = tmp_path / "lex.toml"
    bad.write_text("[[treatment]]\nid = 'x'\ncategory = 'magic'\n", encoding="utf-8")
    config = tmp_path / "hairlink.toml"
    config.write_text(f'lexicon = "lex.toml"\n[database]\nurl = "sqlite:///{tmp_path}/x.db"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "aggregate"])
    assert result.exit_code == 2
    assert "category" in result.output
