"""A small, fully known corpus for the query and digest tests, written through the ORM.

NOW is the frozen clock the tests measure ages against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from models.entities import (
    Source,
    Study,
    StudyTreatment,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    Treatment,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TREATMENTS = ["finasteride", "ketoconazole", "microneedling", "minoxidil", "rosemary_oil"]


@dataclass
class Corpus:
    """Ids of what `seed` wrote."""

    threads: dict[str, int]
    studies: dict[str, int]


def _thread(source: Source, ext: str, title: str, *, days: float, score: int | None,
            category: str | None, body: str = "", comments: int = 0,
            url: str | None = None) -> Thread:
    created = NOW - timedelta(days=days)
    return Thread(source=source, external_id=ext, url=url or f"https://forum.example/t/{ext}",
                  title=title, body=body, category=category, score=score, num_comments=comments,
                  created_at=created, first_seen_at=created, last_seen_at=NOW,
                  content_hash="0" * 40)


def seed(session: Session) -> Corpus:
    """Three sources, seven threads, three studies, tags and links; committed."""
    reddit = Source(name="tressless", kind="reddit", base_url="https://oauth.reddit.com",
                    created_at=NOW)
    disc = Source(name="hlt-discourse", kind="discourse", base_url="https://d.example",
                  created_at=NOW)
    phpbb = Source(name="oldforum", kind="phpbb", base_url="https://p.example", created_at=NOW)
    session.add_all([reddit, disc, phpbb])
    session.add_all(Treatment(id=t, name=t.replace("_", " ").title(), category="drug")
                    for t in TREATMENTS)
    threads = {
        "oral": _thread(reddit, "r1", "Oral vs topical minoxidil after 6 months", days=300,
                        score=257, category="Progress Pictures", comments=40,
                        body="Switched from the foam to 2.5mg tablets. Crown is thicker."),
        "fin10": _thread(reddit, "r2", "Finasteride 10 year follow-up is out", days=3,
                         score=1200, category="Research", comments=310,
                         body="PMID 12345678 says most men kept their hair."),
        "big3": _thread(disc, "d1", "Big 3 update: month 14", days=40, score=15,
                        category="Progress Pictures", comments=12,
                        body="Fin, minox and nizoral twice a week. 50% better."),
        "needling": _thread(phpbb, "p1", "Microneedling with minox?", days=100, score=None,
                            category="Treatments", comments=4,
                            body="Rolling 1.5mm weekly plus minoxidil foam, any thoughts?"),
        "keto": _thread(reddit, "r3", "Ketoconazole shampoo question", days=1, score=3,
                        category="Question", comments=2, body="How long to leave it on?"),
        "rosemary": _thread(reddit, "r4", "Rosemary oil 100_percent natural", days=500,
                            score=0, category="question", comments=9,
                            body="Rosemary oil vs minoxidil, the 2015 trial."),
        "old": _thread(disc, "d2", "Ancient thread about hair", days=2000, score=None,
                       category=None, body="Nothing about any treatment."),
    }
    session.add_all(threads.values())
    studies = {
        "S1": Study(doi="10.1001/jamadermatol.2024.0284", title="Oral Minoxidil vs Topical "
                    "Minoxidil for Male Androgenetic Alopecia", authors=["M. Penha", "H. Miot"],
                    journal="JAMA Dermatology", pub_year=2024, pub_month=3,
                    abstract="A randomized trial of 90 men.", tldr="Oral was not clearly better.",
                    citation_count=90, url="https://doi.org/10.1001/jamadermatol.2024.0284",
                    created_at=NOW, updated_at=NOW),
        "S2": Study(pmid="12345678", pmcid="PMC999", title="Finasteride 10-year follow-up",
                    authors=["A. Rossi"], journal="Dermatol Ther", pub_year=2012,
                    citation_count=None, created_at=NOW, updated_at=NOW),
        "S3": Study(pmcid="PMC777", title="A study nobody discusses", authors=[],
                    created_at=NOW, updated_at=NOW),
    }
    session.add_all(studies.values())
    session.flush()
    tags = {"oral": ["minoxidil"], "fin10": ["finasteride"],
            "big3": ["finasteride", "ketoconazole", "minoxidil"],
            "needling": ["microneedling", "minoxidil"], "keto": ["ketoconazole"],
            "rosemary": ["rosemary_oil", "minoxidil"], "old": []}
    for name, ids in tags.items():
        for i, t in enumerate(ids):
            session.add(ThreadTreatment(thread_id=threads[name].id, treatment_id=t,
                                        mentions=i + 2 if name == "big3" else 1, forms=[],
                                        locations=["body"]))
    session.add_all([StudyTreatment(study_id=studies["S1"].id, treatment_id="minoxidil"),
                     StudyTreatment(study_id=studies["S2"].id, treatment_id="finasteride")])
    links = [("oral", "S1", "citation", 0.9), ("fin10", "S2", "citation", 1.0),
             ("fin10", "S1", "topic", 0.2), ("big3", "S1", "topic", 0.7),
             ("needling", "S1", "topic", 0.5), ("rosemary", "S1", "topic", 0.1),
             ("big3", "S2", "topic", 0.6)]
    for thread, study, kind, score in links:
        session.add(ThreadStudyLink(thread_id=threads[thread].id, study_id=studies[study].id,
                                    kind=kind, score=score, evidence={"terms": ["x"]}))
    session.commit()
    return Corpus(threads={k: v.id for k, v in threads.items()},
                  studies={k: v.id for k, v in studies.items()})


HOSTILE_NAME = "<script>alert('name')</script>Nizoral"  # a lexicon name that is markup


def rename_treatments(session: Session, corpus: Corpus) -> None:
    """Rosemary oil by its lexicon name, ketoconazole by a hostile one (`HOSTILE_NAME`), and
    the rosemary thread (on S1, now about rosemary oil too) reporting it improved, with body
    hair as a side effect (for the tests of display names)."""
    rosemary = session.get(Treatment, "rosemary_oil")
    keto = session.get(Treatment, "ketoconazole")
    assert rosemary is not None and keto is not None
    rosemary.name, keto.name = "Rosemary oil", HOSTILE_NAME
    row = session.get(ThreadTreatment, (corpus.threads["rosemary"], "rosemary_oil"))
    assert row is not None
    row.effect, row.side_effects = "improved", ["body_hair"]
    session.add(StudyTreatment(study_id=corpus.studies["S1"], treatment_id="rosemary_oil"))
    session.commit()
