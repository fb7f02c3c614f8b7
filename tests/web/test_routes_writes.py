"""The routes after writes by another connection, on SQLite and PostgreSQL: aggregates,
rendered cards and a study's sections are kept per data version and follow a write at once
(whole-table aggregates within their stale window)."""

from __future__ import annotations

import lxml.html
import pytest
from sqlalchemy import Engine

from hairlink.web import create_app
from models.db import session_factory
from models.entities import ThreadTreatment
from models.post_types import PostQuery
from tests.query.seed_posts import Corpus
from tests.web.pages import S1, TestClient, page, text_of


def _set_effect(engine: Engine, thread_id: int, treatment: str, effect: str) -> None:
    with session_factory(engine)() as session:
        row = session.get(ThreadTreatment, (thread_id, treatment))
        assert row is not None
        row.effect = effect
        session.commit()


def test_pages_follow_writes(engine: Engine, corpus: Corpus) -> None:
    """Aggregates are cached per data version: a write by another connection shows at once
    (with no stale window)."""
    with TestClient(create_app(engine, stale_seconds=0)) as client:
        before = text_of(page(client, "/treatments/finasteride"),
                         "//section[@id='outcomes']/p[not(@class)]")
        assert before == ["Of 2 threads on finasteride, 1 report an effect on hair."]
        assert text_of(page(client, f"/studies/{S1}"), "//section[@id='community']//li")
        _set_effect(engine, corpus.threads["big3"], "finasteride", "no_effect")
        tree = page(client, "/treatments/finasteride")
        assert text_of(tree, "//section[@id='outcomes']/p[not(@class)]") == [
            "Of 2 threads on finasteride, 2 report an effect on hair."]
        rows = text_of(page(client, "/"), "//section[@id='treatments']//tbody/tr")
        assert rows[1] == "Finasteride 2 1 50% improved of 2 reporting · 1 side-effect reports"
        _set_effect(engine, corpus.threads["big3"], "minoxidil", "mixed")
        assert text_of(page(client, f"/studies/{S1}"), "//section[@id='community']//li")[0] \
            .startswith("Of 4 threads on minoxidil: 1 report improvement, 1 no effect, 2 mixed")


def test_thread_cards_are_reused_until_a_write(engine: Engine, corpus: Corpus) -> None:
    """Rendered cards are kept per data version (hairlink.web.cards): the same page comes
    back the same from them, and a write by another connection shows in the card at once."""
    app = create_app(engine, stale_seconds=0)
    big3 = corpus.threads["big3"]
    chips = f"//article[.//a[@href='/threads/{big3}']]//ul[@class='chips outcomes']/li"
    with TestClient(app) as client:
        for path in ("/posts?treatment=finasteride&sort=score", f"/studies/{S1}",
                     "/treatments/finasteride"):
            app.state.cards.clear()
            first = client.get(path).text
            kept = len(app.state.cards)
            assert kept and client.get(path).text == first and len(app.state.cards) == kept
            assert "finasteride: no effect" not in text_of(lxml.html.fromstring(first), chips)
        _set_effect(engine, corpus.threads["big3"], "finasteride", "no_effect")
        for path in ("/posts?treatment=finasteride&sort=score", f"/studies/{S1}",
                     "/treatments/finasteride"):
            assert "Finasteride: no effect" in text_of(page(client, path), chips), path


def test_study_sections_are_kept_as_html_until_a_write(engine: Engine, corpus: Corpus,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A study's own sections (header, summary, chart, community, research) are rendered
    once per data version: a second view reads no digest data, a write shows at once."""
    import hairlink.web.pages as pages
    from models.entities import Study

    loads: list[list[int]] = []
    load_digests = pages.load_digests

    def counting(session: object, ids: list[int], **kwargs: object) -> object:
        loads.append(list(ids))
        return load_digests(session, ids, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "load_digests", counting)
    app = create_app(engine, stale_seconds=0)
    versions: list[object] = []  # on a shared PostgreSQL server others' writes move it too
    current = app.state.version.current

    def seen(session: object) -> object:
        versions.append(current(session))
        return versions[-1]

    app.state.version.current = seen
    with TestClient(app) as client:
        first = client.get(f"/studies/{S1}?sort=new").text
        assert client.get(f"/studies/{S1}?sort=score").status_code == 200
        again = client.get(f"/studies/{S1}?sort=new").text
        assert len(loads) == len(set(versions))  # once per data version
        assert again == first
        with session_factory(engine)() as session:
            study = session.get(Study, corpus.studies["S1"])
            assert study is not None
            study.tldr = "Oral <b>won</b> after all."
            session.commit()
        tree = page(client, f"/studies/{S1}")
        assert len(set(versions)) >= 2 and len(loads) == len(set(versions))  # the write too
        assert text_of(tree, "//section[@class='tldr']") == ["TLDR Oral <b>won</b> after all."]


def test_whole_table_aggregates_may_lag_a_write_by_the_stale_window(
        engine: Engine, corpus: Corpus) -> None:
    """Treatment statistics (seconds on a large database) are reused for `stale_seconds`
    after a write; a study's own figures follow at once."""
    with TestClient(create_app(engine, stale_seconds=3600)) as client:
        outcomes = "//section[@id='outcomes']/p[not(@class)]"
        assert text_of(page(client, "/treatments/finasteride"), outcomes) == [
            "Of 2 threads on finasteride, 1 report an effect on hair."]
        page(client, f"/studies/{S1}")
        _set_effect(engine, corpus.threads["big3"], "finasteride", "no_effect")
        _set_effect(engine, corpus.threads["big3"], "minoxidil", "mixed")
        assert text_of(page(client, "/treatments/finasteride"), outcomes) == [
            "Of 2 threads on finasteride, 1 report an effect on hair."]  # within the window
        assert text_of(page(client, f"/studies/{S1}"), "//section[@id='community']//li")[0] \
            .startswith("Of 4 threads on minoxidil: 1 report improvement, 1 no effect, 2 mixed")


def test_study_page_keys_are_kept_until_a_write(engine: Engine, corpus: Corpus,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A sorted, paged (not filtered) study page keeps its thread keys and count per data
    version: a repeat view with its cards kept reads no thread and answers the same bytes;
    a filtered page keeps none; a write reorders the page at once; a kept key of a thread
    that is gone sends the page back to the query."""
    import hairlink.web.pages as pages
    from models.entities import Thread

    queries: list[str] = []
    query_posts_counted = pages.query_posts_counted

    def counting(session: object, q: PostQuery, **kwargs: object) -> object:
        queries.append(q.sort)
        return query_posts_counted(session, q, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "query_posts_counted", counting)
    app = create_app(engine, stale_seconds=0)
    app.state.version.current = lambda session: "fixed"  # no write seen unless said
    titles = "//section[@id='related']//div[@class='post-title']/a"
    path = f"/studies/{S1}?sort=score"
    with TestClient(app) as client:
        first = client.get(path).text
        assert queries == ["score"] and len(app.state.study_pages) == 1
        assert client.get(path).text == first and queries == ["score"]  # kept: no query
        client.get(f"/studies/{S1}?sort=score&min_score=1")
        client.get(f"/studies/{S1}?sort=score&min_score=1")
        assert queries == ["score"] * 3 and len(app.state.study_pages) == 1  # filtered: none
        shown = text_of(lxml.html.fromstring(first), titles)
        assert len(shown) >= 2
        with session_factory(engine)() as session:
            bottom = session.query(Thread).filter(Thread.title == shown[-1]).one()
            bottom.score = 10**6
            session.commit()
        app.state.version.current = lambda session: "after the write"
        reordered = text_of(page(client, path), titles)
        assert reordered[0] == shown[-1] and queries == ["score"] * 4
        # A kept key naming a thread that is gone (a write between the version probe and
        # the read): the page is queried again, not shown short.
        keys, total = app.state.study_pages.find(("study page", corpus.studies["S1"], "score",
                                                  pages.STUDY_PAGE_LIMIT, 0), "after the write")
        app.state.study_pages.put(("study page", corpus.studies["S1"], "score",
                                   pages.STUDY_PAGE_LIMIT, 0), "after the write",
                                  (((2**31 - 1, None, "topic", keys[0][3]), *keys), total))
        app.state.cards.clear()
        assert text_of(page(client, path), titles) == reordered and queries == ["score"] * 5
        # A page longer than the default is not kept (a visitor's limit=500 pages would
        # hold ~100 kB each), nor any page while the data version is the clock's.
        kept = len(app.state.study_pages)
        client.get(f"{path}&limit={pages.STUDY_PAGE_LIMIT + 1}")
        client.get(f"{path}&limit={pages.STUDY_PAGE_LIMIT + 1}")
        assert queries == ["score"] * 7 and len(app.state.study_pages) == kept
        app.state.version.current = lambda session: ("time", 1)
        client.get(f"{path}&offset=1")
        client.get(f"{path}&offset=1")
        assert queries == ["score"] * 9 and len(app.state.study_pages) == kept
