"""The cards' details: what a card shows is read, the study links it never shows are not."""

from __future__ import annotations

from sqlalchemy import Engine

from models.db import session_factory
from models.post_queries import query_posts_counted
from models.post_rows import attach_details
from models.post_types import PostQuery
from tests.query.seed_posts import seed


def test_details_without_links_fill_treatments_and_outcomes_only(engine: Engine) -> None:
    with session_factory(engine)() as session:
        corpus = seed(session)
        query = PostQuery(study_id=corpus.studies["S1"], sort="score", limit=10)
        bare, _ = query_posts_counted(session, query, details=False)
        full, _ = query_posts_counted(session, query)
        attach_details(session, bare, links=False)
    assert [p.id for p in bare] == [p.id for p in full] and len(bare) == 5
    assert [(p.treatments, p.outcomes) for p in bare] == [
        (p.treatments, p.outcomes) for p in full]
    assert any(p.treatments for p in bare) and all(p.links for p in full)
    assert all(p.links == [] for p in bare)
