"""Research-section quality: stored references against the dev catalogue's reference lists,
and similar-research nDCG@6, on the dev catalogue and on the unseen sample study set.

    python benchmarks/research_quality.py [EVAL_DIR]     (also run by benchmarks/quality.py)

References: the dev studies are stored (without their labelled treatments), a loopback fake
serves each study's `references` from studies.jsonl (Semantic Scholar reference pages for
most; every fourth study with a PMID answers 404 there and is served by the Europe PMC
fallback instead), `enrich` fetches and stores them, and the stored edges are compared with
the gold lists: catalogue papers by study, outside papers by DOI. Precision, recall, and
whether any light row was duplicated.

Similar research: `aggregate()` tags the studies from their text and computes the lists;
each study's stored list (≤ 6) is scored by nDCG@6 with grades 2 = the candidate concerns
the study's main treatment (eval README table), 1 = shares any labelled treatment, 0 else;
the ideal ranking is the best 6 grades among all other studies. Mean over studies. Also
for text alone and treatments alone (same code, other weights), and on the unseen sample
studies (scrapers/samples/studies.py; main treatments labelled below, not tuned on).
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.run import aggregate  # noqa: E402
from aggregator.similar_inputs import SimilarWeights, load_inputs  # noqa: E402
from aggregator.similar_scores import compute_similar  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402
from models.entities import Base, ReferencePaper, StudyTreatment  # noqa: E402
from models.identifiers import normalise_doi  # noqa: E402
from models.study_research import (  # noqa: E402
    reference_edges,
    references_by_study,
    similar_by_study,
)
from models.study_store import upsert_study  # noqa: E402
from scrapers.enrich.run import enrich  # noqa: E402
from scrapers.enrich.settings import EnrichSettings  # noqa: E402
from scrapers.loopback import LoopbackServer  # noqa: E402
from scrapers.samples.reference_service import ReferenceService  # noqa: E402
from scrapers.samples.studies import STUDIES as SAMPLE_STUDIES  # noqa: E402

TOP = 6
TARGETS = {"references precision": 1.0, "references recall": 1.0, "similar nDCG@6": 0.90}
# Main treatment of each sample study, labelled from its title (the subject of the study).
SAMPLE_MAIN = {"oral-minox": {"minoxidil"}, "fin-8y": {"finasteride"},
               "dut-vs-fin": {"dutasteride"}, "mn-minox": {"microneedling"},
               "keto-shampoo": {"ketoconazole"}, "ru-topical": {"ru58841"},
               "prp-half-head": {"prp"}, "saw-palmetto": {"saw_palmetto"},
               "rosemary": {"rosemary_oil"}, "lllt-cap": {"lllt"},
               "fue-fin": {"hair_transplant"}, "topical-fin": {"finasteride"}}
_JSON = {"Content-Type": "application/json"}


@dataclass
class LabelledStudy:
    """A study of a labelled set: its record, gold treatments and main treatments."""

    key: str
    record: dict[str, Any]
    treatments: set[str]
    main: set[str]


def main_treatments_from_readme(eval_dir: Path) -> dict[str, set[str]]:
    """The README's "main treatment per study" table: `S01 ... | minoxidil |` cells."""
    text = (eval_dir / "README.md").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for sid, cell in re.findall(r"\|\s*(S\d\d)[^|]*\|\s*([a-z0-9_, ]+?)\s*(?=\|)", text):
        found[sid] = {t.strip() for t in cell.split(",") if t.strip()}
    return found


def dev_studies(eval_dir: Path) -> list[LabelledStudy]:
    """The dev catalogue with its labels."""
    mains = main_treatments_from_readme(eval_dir)
    rows = [json.loads(line) for line in (eval_dir / "studies.jsonl").open(encoding="utf-8")
            if line.strip()]
    return [LabelledStudy(r["id"], {"pmid": r.get("pmid"), "doi": r.get("doi"),
                                    "pmcid": r.get("pmcid"), "title": r["title"],
                                    "abstract": r.get("abstract"), "pub_year": r.get("year")},
                          set(r["treatments"]), mains.get(r["id"], set(r["treatments"][:1])))
            for r in rows]


def sample_studies() -> list[LabelledStudy]:
    """The unseen sample study set with its labels."""
    out = []
    for s in SAMPLE_STUDIES:
        abstract = " ".join(text for _, text in s["abstract"])
        out.append(LabelledStudy(s["key"], {"pmid": s["pmid"], "doi": s["doi"],
                                            "pmcid": s["pmcid"], "title": s["title"],
                                            "abstract": abstract, "mesh_terms": s["mesh"]},
                                 set(s["treatments"]), SAMPLE_MAIN[s["key"]]))
    return out


def ndcg(ranked: list[str], grades: dict[str, int], top: int = TOP) -> float:
    """nDCG@top of `ranked` keys against `grades` (missing keys grade 0)."""
    dcg = sum(grades.get(k, 0) / math.log2(i + 2) for i, k in enumerate(ranked[:top]))
    ideal = sorted(grades.values(), reverse=True)[:top]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 1.0


def grades_for(study: LabelledStudy, others: list[LabelledStudy]) -> dict[str, int]:
    """2 = concerns the study's main treatment, 1 = shares any treatment, else 0."""
    return {o.key: 2 if study.main & o.treatments else 1 if study.treatments & o.treatments
            else 0 for o in others if o.key != study.key}


# ---------------------------------------------------------------------- references


def _s2_entry(ref: dict[str, Any], by_key: dict[str, LabelledStudy]) -> dict[str, Any]:
    if "study" in ref:
        rec = by_key[ref["study"]].record
        ids = {k: v for k, v in (("DOI", rec["doi"]), ("PubMed", rec["pmid"]),
                                 ("PubMedCentral", (rec["pmcid"] or "")[3:] or None)) if v}
        return {"paperId": None, "externalIds": ids, "title": rec["title"],
                "year": rec.get("pub_year")}
    return {"paperId": None, "externalIds": {"DOI": ref["doi"]} if ref.get("doi") else None,
            "title": ref.get("title"), "year": ref.get("year")}


def _epmc_entry(ref: dict[str, Any], by_key: dict[str, LabelledStudy]) -> dict[str, Any]:
    if "study" in ref:
        rec = by_key[ref["study"]].record
        entry: dict[str, Any] = {"title": rec["title"], "pubYear": rec.get("pub_year")}
        if rec["pmid"]:
            entry.update(id=rec["pmid"], source="MED")
        elif rec["pmcid"]:
            entry.update(id=rec["pmcid"], source="PMC")
        if rec["doi"]:
            entry["doi"] = rec["doi"]
        return entry
    return {"doi": ref.get("doi"), "title": ref.get("title"), "pubYear": ref.get("year")}


def reference_quality(eval_dir: Path) -> dict[str, Any]:
    """Precision/recall of the stored reference edges against the gold lists."""
    studies = dev_studies(eval_dir)
    by_key = {s.key: s for s in studies}
    gold_lists = {json.loads(line)["id"]: json.loads(line).get("references") or []
                  for line in (eval_dir / "studies.jsonl").open(encoding="utf-8")
                  if line.strip()}
    service = ReferenceService()
    via_epmc = []
    with_pmid = [s for s in studies if s.record["pmid"]]
    for number, study in enumerate(studies):
        refs = gold_lists[study.key]
        rec = study.record
        if study in with_pmid and with_pmid.index(study) % 4 == 0:
            via_epmc.append(study.key)  # S2 answers 404; Europe PMC has the list
            service.add_epmc("MED", rec["pmid"], [_epmc_entry(r, by_key) for r in refs])
            continue
        ids = [f"PMID:{rec['pmid']}" if rec["pmid"] else "", f"DOI:{rec['doi']}"
               if rec["doi"] else "", f"PMCID:{rec['pmcid']}" if rec["pmcid"] else ""]
        service.add([i for i in ids if i], [_s2_entry(r, by_key) for r in refs])
        del number
    with tempfile.TemporaryDirectory() as tmp, LoopbackServer() as server:
        server.route("/s2/graph/v1/paper/batch", lambda r: (200, _JSON, json.dumps(
            [None] * len(json.loads(r.body or b"{}").get("ids", []))).encode()))
        server.route("/s2/graph/v1/paper/", service.s2)
        server.route("/europepmc/webservices/rest/search", lambda r: (
            200, _JSON, b'{"hitCount":0,"resultList":{"result":[]}}'))
        server.route("/europepmc/webservices/rest/", service.epmc)
        engine = make_engine(f"sqlite:///{Path(tmp) / 'refs.db'}")
        Base.metadata.create_all(engine)
        with session_factory(engine)() as session:
            row_of = {}
            for study in studies:
                row, _ = upsert_study(session, dict(study.record))  # type: ignore[arg-type]
                row_of[row.id] = study.key
            session.commit()
            settings = EnrichSettings(s2_base=server.url("/s2"), epmc_base=server.base_url,
                                      s2_interval=0.0, epmc_interval=0.0, use_crossref=False)
            report = enrich(session, settings, sleep=lambda _s: None).references
            stored = references_by_study(session, list(row_of))
            light_rows = session.scalar(select(func.count()).select_from(ReferencePaper))
        engine.dispose()
    tp = fp = fn = 0
    for row_id, key in row_of.items():
        got = {("study", row_of[r.study_id]) if r.in_catalogue and r.study_id else
               ("doi", r.doi) for r in stored.get(row_id, [])}
        want = {("study", r["study"]) if "study" in r else ("doi", normalise_doi(r["doi"]))
                for r in gold_lists[key]}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    outside = {normalise_doi(r["doi"]) for refs in gold_lists.values() for r in refs
               if "doi" in r}
    return {"precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0, "tp": tp, "fp": fp, "fn": fn,
            "light_rows": light_rows, "distinct_outside_papers": len(outside),
            "via_epmc": via_epmc, "report": report.as_dict()}


# --------------------------------------------------------------------- similar research


WEIGHTINGS = {
    "hairlink (text + treatments + citations)": SimilarWeights(),
    "text only": SimilarWeights(main_treatment=0, same_main=0, any_treatment=0, coupling=0,
                                cocitation=0, direct=0),
    "treatments only": SimilarWeights(text=0, coupling=0, cocitation=0, direct=0),
}


def similar_quality(studies: list[LabelledStudy], gold_refs: dict[str, list[dict[str, Any]]]
                    | None = None) -> dict[str, Any]:
    """Mean nDCG@6 of the stored similar lists (and of other weightings) on `studies`."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'similar.db'}")
        Base.metadata.create_all(engine)
        make = session_factory(engine)
        key_of: dict[int, str] = {}
        with make() as session:
            for study in studies:
                row, _ = upsert_study(session, dict(study.record))  # type: ignore[arg-type]
                key_of[row.id] = study.key
            if gold_refs:
                from models.store import utcnow
                from models.study_references import CitedPaperIn, store_references
                id_of = {k: i for i, k in key_of.items()}
                by_key = {s.key: s for s in studies}
                for key, refs in gold_refs.items():
                    papers = [CitedPaperIn(**{k: by_key[r["study"]].record[k]
                                              for k in ("pmid", "doi", "pmcid")})
                              if "study" in r else CitedPaperIn(doi=r.get("doi"))
                              for r in refs]
                    store_references(session, id_of[key], papers, "s2", utcnow())
            session.commit()
        aggregate(make, workers=1)
        by_key = {s.key: s for s in studies}
        results: dict[str, Any] = {}
        with make() as session:
            stored = similar_by_study(session, list(key_of))
            tagged = {}
            for sid, tid in session.execute(select(StudyTreatment.study_id,
                                                   StudyTreatment.treatment_id)):
                tagged.setdefault(sid, set()).add(tid)
            inputs = load_inputs(session, Tagger(load_lexicon()), tagged)
            edges = reference_edges(session)
        engine.dispose()
        per_study = {}
        for row_id, key in key_of.items():
            ranked = [key_of[r.study_id] for r in stored.get(row_id, [])]
            per_study[key] = ndcg(ranked, grades_for(by_key[key], studies))
        results["stored"] = sum(per_study.values()) / len(per_study)
        results["per_study"] = per_study
        for name, weights in WEIGHTINGS.items():
            lists = compute_similar(inputs, edges, top=TOP, weights=weights)
            scores = [ndcg([key_of[i] for i, _ in lists[row_id]],
                           grades_for(by_key[key], studies)) for row_id, key in key_of.items()]
            results[name] = sum(scores) / len(scores)
    return results


def research_figures(eval_dir: Path) -> dict[str, Any]:
    """Every figure of this benchmark."""
    gold = {json.loads(line)["id"]: json.loads(line).get("references") or []
            for line in (eval_dir / "studies.jsonl").open(encoding="utf-8") if line.strip()}
    return {"references": reference_quality(eval_dir),
            "similar_dev": similar_quality(dev_studies(eval_dir), gold),
            "similar_unseen": similar_quality(sample_studies())}


def print_figures(figures: dict[str, Any]) -> list[str]:
    """Print the figures as tables; returns the missed targets."""
    refs = figures["references"]
    print(f"\nreferences (dev, {len(refs['via_epmc'])} studies via the Europe PMC fallback): "
          f"precision {refs['precision']:.3f}, recall {refs['recall']:.3f} "
          f"(TP {refs['tp']} FP {refs['fp']} FN {refs['fn']}); light rows "
          f"{refs['light_rows']} for {refs['distinct_outside_papers']} distinct outside papers")
    dev, unseen = figures["similar_dev"], figures["similar_unseen"]
    print(f"\n| {'similar research nDCG@6 (mean)':42} | dev (24) | unseen samples (12) |")
    print(f"|{'-' * 44}|----------|---------------------|")
    print(f"| {'stored lists (hairlink aggregate)':42} | {dev['stored']:8.3f} | "
          f"{unseen['stored']:19.3f} |")
    for name in WEIGHTINGS:
        print(f"| {name:42} | {dev[name]:8.3f} | {unseen[name]:19.3f} |")
    low = sorted(dev["per_study"].items(), key=lambda kv: kv[1])[:3]
    print("lowest dev studies: " + ", ".join(f"{k} {v:.3f}" for k, v in low))
    checks = {"references precision": refs["precision"], "references recall": refs["recall"],
              "similar nDCG@6": dev["stored"]}
    return [f"{k} {v:.3f} < {TARGETS[k]}" for k, v in checks.items() if v < TARGETS[k]]


def main() -> int:
    eval_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "eval"
    missed = print_figures(research_figures(eval_dir))
    print("\nresearch targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
