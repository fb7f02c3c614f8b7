"""Summaries, outcome chips, top replies and "What the community reports" in every digest
format and in `hairlink show`, after a real `aggregate()` (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from aggregator.digest.export import export_digests
from aggregator.outcome_types import READER_NOTE
from aggregator.run import aggregate
from hairlink.app import app
from models.db import session_factory
from models.entities import Study
from tests.aggregator.test_outcome_store import THREADS, seed, thread

NOW = datetime(2025, 6, 1, tzinfo=UTC)
NASTY = "<script>alert('x')</script> same here, oral min gave me a dense crown"


def prepared(engine: Engine, session: Session) -> int:
    threads = [*THREADS[:1], thread("a", THREADS[0]["title"], THREADS[0]["body"],
                                    [NASTY, "Nice!", "third reply"], score=300),
               *THREADS[1:]]
    seed(engine, threads[1:])
    aggregate(session_factory(engine))
    study_id = session.scalar(select(Study.id))
    session.rollback()
    return study_id


def export(session: Session, study_id: int, fmt: str, out: Path) -> str:
    report = export_digests(session, [study_id], fmt, out, now=NOW, charts="none")
    path = next(p for p in report.files if p.name != "index.html")
    return path.read_text(encoding="utf-8")


def test_html_digest(engine: Engine, session: Session, tmp_path: Path) -> None:
    study_id = prepared(engine, session)
    page = export(session, study_id, "html", tmp_path)
    assert "What the community reports" in page
    assert f'<p class="muted reader-note">{html.escape(READER_NOTE)}</p>' in page
    assert "Of 3 threads on minoxidil: 2 report improvement, 1 no effect; side effects: " \
        "cardio 1, skin 1" in page
    assert 'class="chip outcome effect-improved">Minoxidil: improved · cardio<' in page
    assert '<p class="summary">A poster says: Oral minoxidil nine months.' in page
    # top replies under the card, best score first, escaped, at most two
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; same here" in page
    assert "<script>alert" not in page
    assert "third reply</li>" not in page
    assert page.index("&lt;script&gt;") < page.index("Nice!")


def test_other_formats(engine: Engine, session: Session, tmp_path: Path) -> None:
    study_id = prepared(engine, session)
    data = json.loads(export(session, study_id, "json", tmp_path))
    assert data["community"][0]["treatment"] == "minoxidil"
    assert data["community"][0]["effects"] == {"improved": 2, "no_effect": 1, "mixed": 0}
    post = next(p for p in data["posts"] if p["external_id"] == "a")
    assert post["outcomes"]["minoxidil"] == {"effect": "improved", "side_effects": ["cardio"]}
    assert post["summary"].startswith("A poster says: Oral minoxidil")
    assert [r["score"] for r in post["top_replies"]] == [5, 4]
    md = export(session, study_id, "md", tmp_path)
    assert "### What the community reports" in md
    assert f"\n_{READER_NOTE}_\n" in md
    assert "Reported: Minoxidil: improved · cardio" in md
    assert "\\<script\\>" in md
    rows = list(csv.DictReader(io.StringIO(export(session, study_id, "csv", tmp_path))))
    assert {r["outcomes"] for r in rows} >= {"minoxidil=improved(cardio)"}
    atom = export(session, study_id, "atom", tmp_path)
    assert "Minoxidil: improved · cardio" in atom


def test_show(engine: Engine, session: Session, db_url: str,
              monkeypatch: pytest.MonkeyPatch) -> None:
    study_id = prepared(engine, session)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", db_url)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["show", str(study_id)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "What the community reports" in out
    assert "Of 3 threads on minoxidil: 2 report improvement" in out
    assert READER_NOTE in out
    assert "[Minoxidil: improved · cardio]" in out
    assert "A poster says: Oral minoxidil nine months." in out
