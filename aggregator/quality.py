"""Quality evaluation on a labelled corpus (../shared/eval): the metrics of its README.

The system under test is the real pipeline: threads and studies are stored in a scratch
SQLite database through the models' upsert layer, `aggregate()` runs, and the stored tags
and links are read back. Studies are stored without their labelled treatments (the tagger
derives them from the text), so no gold label reaches the system.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from aggregator.lexicon import Lexicon, load_lexicon
from aggregator.link_types import LinkSettings, StudyText, ThreadText
from aggregator.linker import StudyModel, analyse_thread
from aggregator.run import aggregate
from aggregator.tagger import Tagger
from models.db import make_engine, session_factory
from models.entities import Base, Study, Thread, ThreadStudyLink, ThreadTreatment
from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.store import ThreadIn, ensure_source, store_threads
from models.study_store import StudyIn, upsert_study

TOP = 6


@dataclass
class PRF:
    """Micro precision / recall / F1 over pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def prf(predicted: Iterable[tuple[str, str]], gold: Iterable[tuple[str, str]]) -> PRF:
    """Micro P/R/F1 of predicted pairs against gold pairs."""
    pred, ref = set(predicted), set(gold)
    return PRF(len(pred & ref), len(pred - ref), len(ref - pred))


def ranking_metrics(scores: dict[str, float], grades: dict[str, int],
                    thread_ids: list[str]) -> tuple[float, float]:
    """nDCG@6 and P@6 of one study: every thread scored, ties by thread id ascending."""
    order = sorted(thread_ids, key=lambda t: (-scores.get(t, 0.0), t))[:TOP]
    dcg = sum((2 ** grades.get(t, 0) - 1) / math.log2(i + 2) for i, t in enumerate(order))
    ideal = sorted(grades.values(), reverse=True)[:TOP]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    precision = sum(1 for t in order if grades.get(t, 0) >= 1) / TOP
    return (dcg / idcg if idcg else 0.0), precision


@dataclass
class Predictions:
    """What a system said about the corpus."""

    tags: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # thread -> t -> forms
    citations: set[tuple[str, str]] = field(default_factory=set)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # study -> thread -> s


def load_corpus(eval_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(posts, studies) of an eval folder."""
    def read(name: str) -> list[dict[str, Any]]:
        with (eval_dir / name).open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    return read("posts.jsonl"), read("studies.jsonl")


def run_system(posts: list[dict[str, Any]], studies: list[dict[str, Any]],
               lexicon: Lexicon | None = None, settings: LinkSettings | None = None,
               db_url: str | None = None) -> Predictions:
    """Store the corpus, run `aggregate()`, read back tags and links."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(db_url or f"sqlite:///{Path(tmp) / 'eval.db'}")
        Base.metadata.create_all(engine)
        make_session = session_factory(engine)
        by_source: dict[str, list[ThreadIn]] = {}
        for post in posts:
            by_source.setdefault(f"{post['platform']}-{post['community']}", []).append({
                "external_id": post["id"], "url": f"https://eval.invalid/{post['id']}",
                "title": post["title"], "body": post["body"],
                "category": post.get("category"), "score": post.get("score"),
                "num_comments": post.get("num_comments", 0),
                "created_at": datetime.fromtimestamp(post["created_utc"], UTC),
                "replies": [{"external_id": f"{post['id']}-r{i}", "body": r["body"],
                             "score": r.get("score")} for i, r in enumerate(post["replies"])],
            })
        for name, items in sorted(by_source.items()):
            with make_session() as session, session.begin():
                source_id = ensure_source(session, name, name.split("-")[0],
                                          "https://eval.invalid")
            store_threads(make_session, source_id, items)
        with make_session() as session, session.begin():
            for s in studies:
                item: StudyIn = {"doi": s.get("doi"), "pmid": s.get("pmid"),
                                 "pmcid": s.get("pmcid"), "title": s["title"],
                                 "authors": s.get("authors", []), "journal": s.get("journal"),
                                 "pub_year": s.get("year"), "abstract": s.get("abstract"),
                                 "tldr": s.get("tldr"), "url": s.get("url")}
                upsert_study(session, item)
        aggregate(make_session, full=True, lexicon=lexicon, settings=settings)
        out = Predictions()
        with make_session() as session:
            thread_key = dict(session.execute(select(Thread.id, Thread.external_id)).all())
            study_key = {}
            for study in session.scalars(select(Study)):
                study_key[study.id] = _study_id(study, studies)
            for thread_id, tid, forms in session.execute(
                    select(ThreadTreatment.thread_id, ThreadTreatment.treatment_id,
                           ThreadTreatment.forms)):
                out.tags.setdefault(thread_key[thread_id], {})[tid] = list(forms)
            for thread_id, study_id, kind, score in session.execute(
                    select(ThreadStudyLink.thread_id, ThreadStudyLink.study_id,
                           ThreadStudyLink.kind, ThreadStudyLink.score)):
                post, study = thread_key[thread_id], study_key[study_id]
                if kind == "citation":
                    out.citations.add((post, study))
                out.scores.setdefault(study, {})[post] = float(score)
        engine.dispose()
    return out


def _study_id(study: Study, studies: list[dict[str, Any]]) -> str:
    for s in studies:
        if (study.doi and normalise_doi(s.get("doi")) == study.doi) or \
           (study.pmid and normalise_pmid(s.get("pmid")) == study.pmid) or \
           (study.pmcid and normalise_pmcid(s.get("pmcid")) == study.pmcid):
            return str(s["id"])
    raise KeyError(f"stored study {study.id} is not in the corpus")


def baseline(posts: list[dict[str, Any]], studies: list[dict[str, Any]],
             lexicon: Lexicon, system_tags: dict[str, dict[str, list[str]]]) -> Predictions:
    """Naive system: canonical names as case-insensitive substrings; identifiers as raw
    substrings; topical score = number of shared treatments (the system's own tags)."""
    out = Predictions()
    names = {tid: info.name.lower() for tid, info in lexicon.treatments.items()}
    for post in posts:
        text = _thread_text(post).lower()
        out.tags[post["id"]] = {tid: [] for tid, name in names.items() if name in text}
        for s in studies:
            for key in ("doi", "pmid", "pmcid"):
                if s.get(key) and str(s[key]).lower() in text:
                    out.citations.add((post["id"], s["id"]))
    tagger = Tagger(lexicon)
    for s in studies:
        study_tags = set(tagger.tag(s["title"], s.get("abstract") or "", [s.get("tldr") or ""]))
        out.scores[s["id"]] = {p["id"]: float(len(study_tags & set(system_tags.get(p["id"], {}))))
                               for p in posts}
    return out


def _thread_text(post: dict[str, Any]) -> str:
    return "\n".join([post["title"], post["body"], *(r["body"] for r in post["replies"])])


def metrics(posts: list[dict[str, Any]], studies: list[dict[str, Any]], pred: Predictions,
            lexicon: Lexicon) -> dict[str, Any]:
    """Every figure of the eval README for one system."""
    gold_tags = {(p["id"], t) for p in posts for t in p["gold_treatments"]}
    tagging = prf(((p, t) for p, tags in pred.tags.items() for t in tags), gold_tags)
    gold_forms = {(p["id"], f) for p in posts for f in p["gold_forms"]}
    pred_forms = {(p, f"{t}:{f}") for p, tags in pred.tags.items()
                  for t, forms in tags.items() for f in forms}
    forms = prf(pred_forms, gold_forms)
    citations = prf(pred.citations, {(p["id"], s) for p in posts for s in p["gold_citations"]})
    per_study = _ranking_per_study(posts, studies, pred)
    return {
        "tagging": tagging, "forms": forms,
        "forms_accuracy": _forms_accuracy(posts, pred, lexicon),
        "citations": citations,
        "ndcg": float(np.mean([v[0] for v in per_study.values()])),
        "p_at_6": float(np.mean([v[1] for v in per_study.values()])),
        "per_study": per_study,
    }


def _forms_accuracy(posts: list[dict[str, Any]], pred: Predictions, lexicon: Lexicon) -> float:
    """Share of the correctly tagged form-ful treatments whose forms are exactly right."""
    formful = {tid for tid, info in lexicon.treatments.items() if info.forms}
    exact = total = 0
    for post in posts:
        for tid in set(post["gold_treatments"]) & set(pred.tags.get(post["id"], {})) & formful:
            total += 1
            gold = {f.split(":")[1] for f in post["gold_forms"] if f.startswith(tid + ":")}
            exact += gold == set(pred.tags[post["id"]][tid])
    return exact / total if total else 0.0


def _ranking_per_study(posts: list[dict[str, Any]], studies: list[dict[str, Any]],
                       pred: Predictions) -> dict[str, tuple[float, float]]:
    """(nDCG@6, P@6) of each study's ranking of the threads."""
    thread_ids = [p["id"] for p in posts]
    per_study: dict[str, tuple[float, float]] = {}
    for s in studies:
        grades = {p["id"]: int(p["relevance"][s["id"]]) for p in posts
                  if s["id"] in p.get("relevance", {})}
        per_study[s["id"]] = ranking_metrics(pred.scores.get(s["id"], {}), grades, thread_ids)
    return per_study


def threshold_sweep(posts: list[dict[str, Any]], studies: list[dict[str, Any]],
                    lexicon: Lexicon, thresholds: Iterable[float]) -> list[dict[str, float]]:
    """Precision / recall of "score >= threshold and a main treatment shared" vs grade >= 1,
    over every (thread, study) pair: the evidence for the default topic threshold."""
    tagger = Tagger(lexicon)
    model = StudyModel([StudyText(i, s["title"], s.get("abstract"), s.get("tldr"))
                        for i, s in enumerate(studies)], tagger)
    analyses = [analyse_thread(tagger, ThreadText(i, p["title"], p["body"],
                                                  [r["body"] for r in p["replies"]]))
                for i, p in enumerate(posts)]
    score, main = model.scores(model.features(analyses))
    grades = np.array([[p.get("relevance", {}).get(s["id"], 0) for s in studies]
                       for p in posts])
    rows = []
    for tau in thresholds:
        kept = (score >= tau) & main
        tp = int((kept & (grades >= 1)).sum())
        fp = int((kept & (grades == 0)).sum())
        fn = int((~kept & (grades >= 1)).sum())
        rows.append({"threshold": tau, "precision": tp / (tp + fp) if tp + fp else 0.0,
                     "recall": tp / (tp + fn) if tp + fn else 0.0, "links": tp + fp})
    return rows


def evaluate(eval_dir: Path, lexicon: Lexicon | None = None,
             settings: LinkSettings | None = None) -> dict[str, Any]:
    """System and baseline metrics on an eval folder."""
    lexicon = lexicon or load_lexicon()
    posts, studies = load_corpus(eval_dir)
    system = run_system(posts, studies, lexicon, settings)
    naive = baseline(posts, studies, lexicon, system.tags)
    return {"system": metrics(posts, studies, system, lexicon),
            "baseline": metrics(posts, studies, naive, lexicon),
            "counts": {"threads": len(posts), "studies": len(studies)}}
