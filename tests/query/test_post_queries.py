"""The posts query API on SQLite and PostgreSQL: every filter, sort, page and output shape."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

import models.post_queries as pq
from models.entities import Thread
from models.fulltext import MAX_SEARCH_TERMS, search_phrases
from models.post_output import post_to_csv_row, post_to_dict
from models.post_queries import count_posts, query_posts
from models.post_types import PostQuery
from models.study_keys import StudyKeyError, StudyNotFound, find_study, parse_study_key
from models.time_specs import BadTimeSpec, parse_time_spec
from tests.query.seed_posts import NOW, Corpus, seed


@pytest.fixture
def corpus(session: Session) -> Corpus:
    return seed(session)


def ext(session: Session, **kwargs: Any) -> list[str]:
    return [p.external_id for p in query_posts(session, PostQuery(**kwargs))]


def test_study_keys_normalise_and_resolve(session: Session, corpus: Corpus) -> None:
    s1, s2, s3 = (corpus.studies[k] for k in ("S1", "S2", "S3"))
    assert find_study(session, "doi:10.1001/JAMADERMATOL.2024.0284").id == s1
    assert find_study(session, "https://doi.org/10.1001/jamadermatol.2024.0284").id == s1
    assert find_study(session, "10.1001/jamadermatol.2024.0284").id == s1
    assert find_study(session, "pmid:012345678").id == s2
    assert find_study(session, "PMID:12345678").id == s2
    assert find_study(session, "pmcid:pmc999").id == s2
    assert find_study(session, "PMC777").id == s3
    assert find_study(session, str(s1)).id == s1
    assert find_study(session, f"id:{s3}").id == s3
    assert parse_study_key("pmcid:123") == ("pmcid", "PMC123")
    with pytest.raises(StudyNotFound, match="pmid:999"):
        find_study(session, "pmid:999")
    with pytest.raises(StudyNotFound):
        find_study(session, "99999")
    for bad in ("pmid:abc", "banana", "0", "doi:11.2/x", "pmcid:PMCx", ""):
        with pytest.raises(StudyKeyError):
            find_study(session, bad)


def test_sort_by_score_puts_missing_scores_last(session: Session, corpus: Corpus) -> None:
    got = ext(session, sort="score", limit=None)
    assert got[:5] == ["r2", "r1", "d1", "r3", "r4"]
    assert set(got[5:]) == {"p1", "d2"}


def test_sort_new_limit_and_offset(session: Session, corpus: Corpus) -> None:
    assert ext(session, sort="new", limit=None) == ["r3", "r2", "d1", "p1", "r1", "r4", "d2"]
    assert ext(session, sort="new", limit=2) == ["r3", "r2"]
    assert ext(session, sort="new", limit=2, offset=2) == ["d1", "p1"]


def test_treatment_filters_require_all(session: Session, corpus: Corpus) -> None:
    assert ext(session, treatments=["minoxidil"], sort="score") == ["r1", "d1", "r4", "p1"]
    assert ext(session, treatments=["minoxidil", "finasteride"]) == ["d1"]
    assert ext(session, treatments=["minoxidil", "finasteride", "rosemary_oil"]) == []
    assert ext(session, treatments=["nonexistent"]) == []
    # relevance: mentions of the requested treatments, then score
    assert ext(session, treatments=["minoxidil"], sort="relevance") == ["d1", "r1", "r4", "p1"]
    assert count_posts(session, PostQuery(treatments=["minoxidil"])) == 4


@pytest.mark.parametrize("threshold", [0, 10_000])
def test_selective_and_index_plans_agree(session: Session, corpus: Corpus, threshold: int,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pq, "SELECTIVE_TREATMENT_ROWS", threshold)
    assert ext(session, treatments=["minoxidil"], sort="score") == ["r1", "d1", "r4", "p1"]
    assert ext(session, treatments=["minoxidil"], sort="new") == ["d1", "p1", "r1", "r4"]
    assert ext(session, treatments=["minoxidil", "ketoconazole"], sort="score") == ["d1"]


def test_study_filter_ranks_citations_first(session: Session, corpus: Corpus) -> None:
    s1, s2, s3 = (corpus.studies[k] for k in ("S1", "S2", "S3"))
    assert ext(session, study_id=s1) == ["r1", "d1", "p1", "r2", "r4"]
    assert ext(session, study_id=s1, sort="score") == ["r2", "r1", "d1", "r4", "p1"]
    assert ext(session, study_id=s2) == ["r2", "d1"]
    assert ext(session, study_id=s3) == []
    posts = query_posts(session, PostQuery(study_id=s1))
    assert [p.relevance for p in posts] == [0.9, 0.7, 0.5, 0.2, 0.1]
    assert [p.link_kind for p in posts] == ["citation", "topic", "topic", "topic", "topic"]
    assert ext(session, study_id=s1, treatments=["finasteride"]) == ["d1", "r2"]
    # the study-only fast path and the general filtered path agree, pages included
    always = NOW - timedelta(days=10_000)
    for limit, offset in ((None, 0), (2, 0), (2, 1), (3, 3)):
        fast = ext(session, study_id=s1, limit=limit, offset=offset)
        general = ext(session, study_id=s1, limit=limit, offset=offset, since=always)
        assert fast == general == ["r1", "d1", "p1", "r2", "r4"][offset:][:limit]
    assert count_posts(session, PostQuery(study_id=s1)) == 5


def test_source_category_score_filters(session: Session, corpus: Corpus) -> None:
    assert ext(session, source="tressless", sort="new") == ["r3", "r2", "r1", "r4"]
    assert ext(session, source="nope") == []
    assert ext(session, category="progress PICTURES", sort="score") == ["r1", "d1"]
    assert ext(session, category="question", sort="score") == ["r3", "r4"]
    assert ext(session, min_score=15, sort="score") == ["r2", "r1", "d1"]
    assert ext(session, min_score=0, sort="score") == ["r2", "r1", "d1", "r3", "r4"]
    assert ext(session, treatments=["minoxidil"], source="tressless", min_score=1) == ["r1"]


def test_time_filters(session: Session, corpus: Corpus) -> None:
    since = parse_time_spec("30d", now=NOW)
    assert since == NOW - timedelta(days=30)
    assert ext(session, since=since, sort="new") == ["r3", "r2"]
    until = parse_time_spec("200d", now=NOW)
    assert ext(session, until=until, sort="new") == ["r1", "r4", "d2"]
    assert ext(session, since=parse_time_spec("2026-09-01"),
               until=parse_time_spec("2026-10-29", end_of_day=True), sort="new") == ["r2", "d1"]
    # a bare --until date includes its day; a datetime is exact
    assert ext(session, until=parse_time_spec("2026-10-29"), since=since) == []
    assert parse_time_spec("2026-10-29T12:00:00+02:00").isoformat() == "2026-10-29T10:00:00+00:00"
    assert parse_time_spec("2w", now=NOW) == NOW - timedelta(weeks=2)
    for bad in ("yesterday", "30x", "2026-13-01"):
        with pytest.raises(BadTimeSpec):
            parse_time_spec(bad, now=NOW)


def test_search_words_phrases_and_prefixes(session: Session, corpus: Corpus) -> None:
    found = ext(session, search="minox")  # a word matches as a prefix; title hits first
    assert found[:2] == ["p1", "r1"] and sorted(found[2:]) == ["d1", "r4"]
    assert sorted(ext(session, search="MINOXIDIL foam")) == ["p1", "r1"]
    assert ext(session, search='"year follow-up"') == ["r2"]
    assert ext(session, search='"follow-up year"') == []
    assert ext(session, search="%") == []  # nothing searchable matches nothing
    assert ext(session, search='" AND OR NOT * ( ) : ^') == []  # FTS operators are not passed
    assert ext(session, search="1_0") == []
    assert ext(session, search="100_percent") == ["r4"]
    assert ext(session, search="minox", sort="score") == ["r1", "d1", "r4", "p1"]
    assert ext(session, search="minox", treatments=["finasteride"]) == ["d1"]
    assert count_posts(session, PostQuery(search="minox")) == 4


def test_huge_search_text_is_capped_not_an_error(session: Session, corpus: Corpus) -> None:
    assert ext(session, search="minox " * 20_000) != []
    assert ext(session, search="x" * 100_000) == []
    assert ext(session, search='"' + "ancient " * 50_000) == ["d2"]  # unclosed quote


def test_search_index_follows_inserts_updates_and_deletes(session: Session,
                                                          corpus: Corpus) -> None:
    thread = session.get(Thread, corpus.threads["old"])
    assert thread is not None
    assert ext(session, search="dutasteride") == []
    thread.body = "Now on dutasteride mesotherapy."
    session.commit()
    assert ext(session, search="dutasteride") == ["d2"]
    thread.title, thread.body = "Something else", "nothing"
    session.commit()
    assert ext(session, search="dutasteride") == []
    session.delete(session.get(Thread, corpus.threads["keto"]))
    session.commit()
    assert ext(session, search="ketoconazole") == []


def test_json_and_csv_shapes(session: Session, corpus: Corpus) -> None:
    posts = {p.external_id: p for p in query_posts(session, PostQuery(limit=None))}
    fin = post_to_dict(posts["r2"])
    assert fin == {
        "thread_id": corpus.threads["fin10"],
        "source": "tressless", "external_id": "r2", "url": "https://forum.example/t/r2",
        "title": "Finasteride 10 year follow-up is out", "category": "Research",
        "score": 1200, "score_unit": "upvotes", "num_comments": 310,
        "created_at": "2026-10-29T12:00:00+00:00",
        "excerpt": "PMID 12345678 says most men kept their hair.",
        "treatments": ["finasteride"],
        "summary": None,  # not aggregated: the fixture stores tags only
        "outcomes": {"finasteride": {"effect": "none", "side_effects": []}},
        "links": [
            {"study": {"pmid": "12345678", "doi": None, "pmcid": "PMC999",
                       "title": "Finasteride 10-year follow-up"}, "kind": "citation",
             "score": 1.0},
            {"study": {"pmid": None, "doi": "10.1001/jamadermatol.2024.0284", "pmcid": None,
                       "title": "Oral Minoxidil vs Topical Minoxidil for Male Androgenetic "
                                "Alopecia"}, "kind": "topic", "score": 0.2},
        ],
    }
    assert post_to_dict(posts["d1"])["treatments"] == ["finasteride", "ketoconazole",
                                                        "minoxidil"]
    assert post_to_dict(posts["p1"])["score"] is None
    assert post_to_dict(posts["p1"])["score_unit"] is None  # phpBB threads have no score
    assert post_to_dict(posts["d1"])["score_unit"] == "likes"
    row = post_to_csv_row(posts["r2"])
    assert (row["thread_id"], row["score"], row["score_unit"]) == (
        corpus.threads["fin10"], 1200, "upvotes")
    assert row["excerpt"] == "PMID 12345678 says most men kept their hair."
    assert row["links"] == "pmid:12345678;doi:10.1001/jamadermatol.2024.0284"
    assert row["link_kinds"] == "citation;topic"
    assert row["treatments"] == "finasteride"
    assert post_to_csv_row(posts["p1"])["score"] == ""


def test_csv_cells_never_start_a_formula(session: Session, corpus: Corpus) -> None:
    session.get(Thread, corpus.threads["keto"]).title = "=HYPERLINK(\"http://x\")"
    session.commit()
    post = next(p for p in query_posts(session, PostQuery(limit=None)) if p.external_id == "r3")
    assert post_to_csv_row(post)["title"] == "'=HYPERLINK(\"http://x\")"
    assert post_to_dict(post)["title"] == "=HYPERLINK(\"http://x\")"


def test_no_n_plus_one(session: Session, corpus: Corpus, engine: Engine) -> None:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        posts = query_posts(session, PostQuery(limit=None))
        assert len(posts) == 7
        assert len(statements) == 4  # the page's keys, its rows, treatments, links
        statements.clear()
        assert len(query_posts(session, PostQuery(limit=1))) == 1
        assert len(statements) == 4
        statements.clear()
        assert len(query_posts(session, PostQuery(study_id=corpus.studies["S1"]))) == 5
        assert len(statements) == 3  # --study alone: the ranked page with its rows
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_bad_sort_is_refused(session: Session, corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="sort"):
        query_posts(session, PostQuery(sort="random"))


def test_an_enormous_search_is_bounded_not_a_crash(session: Session, corpus: Corpus) -> None:
    words = " ".join(f"w{n}" for n in range(20_000))  # ~100,000 characters
    assert ext(session, search=words) == []
    assert ext(session, search="x" * 100_000) == []
    assert ext(session, search="minox " + "y" * 100_000) == []
    assert len(search_phrases(words)) == MAX_SEARCH_TERMS
