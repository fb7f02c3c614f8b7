"""Tagging and linking quality on the labelled eval corpus, beside a naive baseline.

    python benchmarks/quality.py [EVAL_DIR] [--lexicon FILE]

EVAL_DIR defaults to ../shared/eval relative to the repository. Prints the figures the
corpus README defines (micro P/R/F1 of tagging, forms, citations; nDCG@6 and P@6 per study)
for hairlink and for the baseline (case-insensitive substring of canonical names; treatment
overlap alone for linking), then the threshold sweep behind the default topic threshold,
then the research figures of `benchmarks/research_quality.py` (stored references against
the catalogue's reference lists, similar-research nDCG@6 on dev and unseen studies).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.link_types import DEFAULT_TOPIC_THRESHOLD  # noqa: E402
from aggregator.quality import evaluate, load_corpus, threshold_sweep  # noqa: E402

TARGETS = {"tagging F1": 0.95, "tagging P": 0.97, "citations P": 1.0, "citations R": 1.0,
           "nDCG@6": 0.85, "P@6": 0.75}


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "aggregator"], capture_output=True, text=True, check=True)
        return out.stdout.strip() + (" (+uncommitted aggregator changes)"
                                     if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--lexicon", help="a user lexicon file merged into the packaged one")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    if not (eval_dir / "posts.jsonl").exists():
        print(f"no eval corpus at {eval_dir}", file=sys.stderr)
        return 2
    lexicon = load_lexicon(args.lexicon)
    result = evaluate(eval_dir, lexicon)
    sys_m, base = result["system"], result["baseline"]
    print(f"eval corpus {eval_dir} ({result['counts']['threads']} threads, "
          f"{result['counts']['studies']} studies), commit {_commit()}")
    print(f"lexicon {lexicon.version_hash[:12]}\n")
    rows = [
        ("tagging precision", sys_m["tagging"].precision, base["tagging"].precision),
        ("tagging recall", sys_m["tagging"].recall, base["tagging"].recall),
        ("tagging F1", sys_m["tagging"].f1, base["tagging"].f1),
        ("forms precision", sys_m["forms"].precision, base["forms"].precision),
        ("forms recall", sys_m["forms"].recall, base["forms"].recall),
        ("forms F1", sys_m["forms"].f1, base["forms"].f1),
        ("forms accuracy (exact set, tagged)", sys_m["forms_accuracy"],
         base["forms_accuracy"]),
        ("citations precision", sys_m["citations"].precision, base["citations"].precision),
        ("citations recall", sys_m["citations"].recall, base["citations"].recall),
        ("citations F1", sys_m["citations"].f1, base["citations"].f1),
        ("topical nDCG@6 (mean of studies)", sys_m["ndcg"], base["ndcg"]),
        ("topical P@6 (mean of studies)", sys_m["p_at_6"], base["p_at_6"]),
    ]
    print(f"| {'metric':36} | hairlink | baseline |")
    print(f"|{'-' * 38}|----------|----------|")
    for name, ours, theirs in rows:
        print(f"| {name:36} | {ours:8.3f} | {theirs:8.3f} |")
    t = sys_m["tagging"]
    print(f"\ntagging pairs: TP {t.tp} FP {t.fp} FN {t.fn}; citations: TP "
          f"{sys_m['citations'].tp} FP {sys_m['citations'].fp} FN {sys_m['citations'].fn}")
    print(f"\n| {'study':5} | nDCG@6 | P@6   | base nDCG@6 | base P@6 |")
    print("|-------|--------|-------|-------------|----------|")
    for sid, (nd, p6) in sys_m["per_study"].items():
        bnd, bp6 = base["per_study"][sid]
        print(f"| {sid:5} | {nd:6.3f} | {p6:5.3f} | {bnd:11.3f} | {bp6:8.3f} |")
    posts, studies = load_corpus(eval_dir)
    print(f"\ntopic threshold sweep (default {DEFAULT_TOPIC_THRESHOLD}): stored link = score >= "
          "threshold and a main treatment of the study shared,\njudged against grade >= 1 "
          "over all (thread, study) pairs")
    sweep = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
    for row in threshold_sweep(posts, studies, lexicon, sweep):
        print(f"  {row['threshold']:.2f}: precision {row['precision']:.3f} recall "
              f"{row['recall']:.3f} links {row['links']}")
    checks = {"tagging F1": t.f1, "tagging P": t.precision,
              "citations P": sys_m["citations"].precision,
              "citations R": sys_m["citations"].recall,
              "nDCG@6": sys_m["ndcg"], "P@6": sys_m["p_at_6"]}
    missed = [f"{k} {v:.3f} < {TARGETS[k]}" for k, v in checks.items() if v < TARGETS[k]]
    from benchmarks.research_quality import print_figures, research_figures  # references

    missed += print_figures(research_figures(eval_dir))
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
