"""The in-process jobs: aggregation and the scheduled digest export, on a tiny database."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models.config import ConfigError, parse_config
from models.db import session_scope
from models.entities import Source, Study, Thread, ThreadStudyLink
from scheduler import tasks
from tests.scheduler.helpers import engine_for

NOW = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = engine_for(db_url)
    with session_scope(eng) as session:
        source = Source(name="forum", kind="discourse", base_url="http://127.0.0.1:9",
                        created_at=NOW)
        session.add(source)
        session.flush()
        session.add(Study(pmid="31234567", title="Topical finasteride in androgenetic alopecia",
                          created_at=NOW, updated_at=NOW, content_hash="s1"))
        session.add(Thread(source_id=source.id, external_id="1", url="http://127.0.0.1:9/t/1",
                           title="Topical fin results",
                           body="Read PMID: 31234567 before starting topical finasteride.",
                           created_at=NOW, first_seen_at=NOW, last_seen_at=NOW,
                           content_hash="t1"))
    yield eng
    eng.dispose()


def test_aggregate_links_and_can_be_interrupted(engine: Engine) -> None:
    config = parse_config({})
    assert tasks.aggregate(engine, config, lambda: True).startswith("interrupted")
    summary = tasks.aggregate(engine, config, lambda: False)
    assert "1 threads tagged" in summary and "1 citation links" in summary
    with session_scope(engine) as session:
        link = session.scalars(select(ThreadStudyLink)).one()
        assert link.kind == "citation"
        assert session.scalars(select(Thread.aggregated_hash)).one() == "t1"


def test_aggregate_reads_with_the_configs_cue_file(engine: Engine, tmp_path: Path) -> None:
    """A scheduled run reads outcomes as `hairlink aggregate` does for the same config (the
    user's cue file), not with the packaged one: the stored cue hash is the config's, so the
    next manual run has nothing to re-read."""
    from aggregator import store
    from aggregator.outcome_config import outcome_cues_for

    (tmp_path / "cues.toml").write_text('[effect]\nimproved = ["my crown came back"]\n')
    path = tmp_path / "hairlink.toml"
    path.write_text('[aggregate]\noutcome_cues = "cues.toml"\n')
    config = parse_config(tomllib.loads(path.read_text()), path)
    tasks.aggregate(engine, config, lambda: False)
    with session_scope(engine) as session:
        stored = store.get_meta(session, store.CUES_HASH_KEY)
    assert stored == outcome_cues_for(config).version_hash
    assert stored != outcome_cues_for(parse_config({})).version_hash


def test_export_writes_each_format(engine: Engine, tmp_path: Path) -> None:
    config = parse_config({"export": {"dir": str(tmp_path / "out"), "formats": ["md", "json"],
                                      "every": "1d"}})
    tasks.aggregate(engine, config, lambda: False)
    summary = tasks.export(engine, config, lambda: False)
    assert "md: 1 studies" in summary and "json: 1 studies" in summary
    [md] = (tmp_path / "out" / "md").iterdir()
    assert "31234567" in md.name and "Topical fin results" in md.read_text(encoding="utf-8")
    assert len(list((tmp_path / "out" / "json").iterdir())) == 1
    single = parse_config({"export": {"dir": str(tmp_path / "one"), "formats": "md",
                                      "every": "1d"}})
    tasks.export(engine, single, lambda: False)
    assert len(list((tmp_path / "one").glob("*.md"))) == 1  # one format: no subdirectory
    stopping = tasks.export(engine, config, lambda: True)
    assert stopping.count("skipped") == 2


def test_check_refuses_a_bad_aggregate_section(tmp_path: Path) -> None:
    # The schema refuses a bad [aggregate] value when the config loads, scheduled or not.
    with pytest.raises(ConfigError, match=r"aggregate\.topic_threshold"):
        parse_config({"aggregate": {"topic_threshold": "high"}, "schedule": {"aggregate": False}})
    # check() still loads the lexicon, and only when aggregation is on.
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text("[[treatment]]\nid = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lexicon"):
        tasks.check(parse_config({"lexicon": str(lexicon)}))
    tasks.check(parse_config({"lexicon": str(lexicon), "schedule": {"aggregate": False}}))
    # ... and the outcome cue file: a malformed one stops the service before it starts
    cues = tmp_path / "cues.toml"
    cues.write_text('[effect]\nimproved = "not a list"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues\.toml"):
        tasks.check(parse_config({"aggregate": {"outcome_cues": str(cues)}}))
    tasks.check(parse_config({"aggregate": {"outcome_cues": str(cues)},
                              "schedule": {"aggregate": False}}))
