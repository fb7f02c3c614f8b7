"""Tagging, linking, outcome and summary quality on labelled corpora, beside baselines.

    python benchmarks/quality.py [EVAL_DIR] [--lexicon FILE] [--cues FILE]
    python benchmarks/quality.py --outcomes-only [DIR ...] [--real LABELS_DIR]

Outcomes and summaries (`gold_outcomes`, `ref_summary`): effect accuracy and macro-F1,
side-effect P/R/F1, ROUGE-1/2/L of the summaries and of the lead and TextRank baselines,
on the eval folder's posts.jsonl and outcomes_posts.jsonl (or each DIR's posts.jsonl), and
on real forum posts (`--real`: a labels.jsonl joined with ../shared/realdata, see
`benchmarks/real_outcomes.py`), then pooled.

EVAL_DIR defaults to ../shared/eval relative to the repository. Prints the figures the
corpus README defines (micro P/R/F1 of tagging, forms, citations; nDCG@6 and P@6 per study)
for hairlink and for the baseline (case-insensitive substring of canonical names; treatment
overlap alone for linking), then the threshold sweep behind the default topic threshold,
then the research figures of `benchmarks/research_quality.py` (stored references against
the catalogue's reference lists, similar-research nDCG@6 on dev and unseen studies).
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.lexicon import load_lexicon  # noqa: E402
from aggregator.link_types import DEFAULT_TOPIC_THRESHOLD  # noqa: E402
from aggregator.outcome_config import filtered  # noqa: E402
from aggregator.outcome_quality import OutcomeScores, evaluate_outcomes  # noqa: E402
from aggregator.outcomes import OutcomeCues, extract_outcomes, load_outcome_cues  # noqa: E402
from aggregator.quality import evaluate, load_corpus, threshold_sweep  # noqa: E402
from aggregator.tagger import Tagger  # noqa: E402

OUTCOME_TARGETS = {"effect accuracy": 0.85, "effect macro-F1": 0.75, "side effects F1": 0.80,
                   "side effects P": 0.85}
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


REALDATA = ROOT.parent / "shared" / "realdata"


def load_real_posts(labels_dir: Path) -> list[dict] | None:
    """Labelled real posts: ids and labels from `labels_dir/labels.jsonl`, the text from
    the recorded listing in ../shared/realdata it names (never copied into the repo).
    None when that listing is not on this machine."""
    posts: list[dict] = []
    listings: dict[str, dict[str, dict]] = {}
    for label in _read_jsonl(labels_dir / "labels.jsonl"):
        source = REALDATA / label["source_file"]
        if not source.exists():
            return None
        if label["source_file"] not in listings:
            listing = json.loads(source.read_text(encoding="utf-8"))
            listings[label["source_file"]] = {c["data"]["id"]: c["data"]
                                              for c in listing["data"]["children"]}
        post = listings[label["source_file"]][label["reddit_id"]]
        posts.append({"id": label["reddit_id"], "title": post["title"],
                      "body": html.unescape(post.get("selftext") or ""), "replies": [],
                      "gold_treatments": label["gold_treatments"],
                      "gold_outcomes": label["gold_outcomes"],
                      "ref_summary": label.get("ref_summary")})
    return posts


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _outcome_rows(name: str, scores: OutcomeScores) -> list[str]:
    rouge = scores.rouge
    line = (f"| {name:28} | {scores.pairs:5} | {scores.accuracy:.3f} | {scores.macro_f1:.3f} "
            f"| {scores.side_precision:.3f} / {scores.side_recall:.3f} / {scores.side_f1:.3f} |")
    if rouge:
        line += " " + " | ".join(
            "/".join(f"{rouge[system][k]:.3f}" for k in ("rouge1", "rouge2", "rougeL"))
            for system in ("hairlink", "lead", "textrank")) + " |"
    else:
        line += " – | – | – |"
    return [line]


def filter_removals(sets: list[tuple[str, list[dict]]], tagger: Tagger, plain: OutcomeCues,
                    with_filter: OutcomeCues) -> tuple[int, int]:
    """Side effects of labelled pairs the filter removed from the rules' reading: (not in the
    gold, in the gold)."""
    wrong = right = 0
    for _, posts in sets:
        for post in posts:
            replies = [r.get("body", "") if isinstance(r, dict) else str(r)
                       for r in post.get("replies", [])]
            title, body = post.get("title", ""), post.get("body", "")
            _, _, mentions = tagger.tag_with_mentions(title, body, replies)
            parts = [title, body, *replies]
            before = extract_outcomes(plain, parts, mentions)
            after = extract_outcomes(with_filter, parts, mentions)
            for tid, gold in (post.get("gold_outcomes") or {}).items():
                if tid in before:
                    for side in set(before[tid].side_effects) - set(after[tid].side_effects):
                        right += side in gold["side_effects"]
                        wrong += side not in gold["side_effects"]
    return wrong, right


def outcome_report(sets: list[tuple[str, list[dict]]], lexicon_path: str | None,
                   cues_path: str | None, side_filter: bool = True,
                   effect_model: bool = False) -> int:
    """Print the outcome and summary table for labelled post sets; 1 if a target missed."""
    tagger = Tagger(load_lexicon(lexicon_path))
    cues = filtered(load_outcome_cues(cues_path), side_filter, effect_model)
    print(f"outcome cues {cues.version_hash[:12]} (side-effect filter "
          f"{'on' if side_filter else 'off'}, effect model {'on' if effect_model else 'off'})"
          f", commit {_commit()}\n")
    print("| corpus                       | pairs | eff. acc | eff. macro-F1 | side P / R / F1 "
          "| ROUGE-1/2/L hairlink | lead | TextRank |")
    print("|---|---|---|---|---|---|---|---|")
    pooled = OutcomeScores()
    for name, posts in sets:
        scores = evaluate_outcomes(posts, tagger, cues)
        pooled = pooled.merged(scores)
        for line in _outcome_rows(name, scores):
            print(line)
    if len(sets) > 1:
        for line in _outcome_rows("pooled", pooled):
            print(line)
    if side_filter:
        wrong, right = filter_removals(sets, tagger, load_outcome_cues(cues_path), cues)
        print(f"\nside-effect filter: removed {wrong + right} side effects the rules proposed, "
              f"{wrong} not in the gold and {right} in it")
    print("\neffect F1 per value (pooled): " + ", ".join(
        f"{v} {pooled.effect_f1(v):.3f}" for v in ("improved", "no_effect", "mixed", "none")))
    checks = {"effect accuracy": pooled.accuracy, "effect macro-F1": pooled.macro_f1,
              "side effects F1": pooled.side_f1, "side effects P": pooled.side_precision}
    missed = [f"{k} {v:.3f} < {OUTCOME_TARGETS[k]}" for k, v in checks.items()
              if v < OUTCOME_TARGETS[k]]
    if pooled.rouge:
        ours, base = pooled.rouge["hairlink"], pooled.rouge["textrank"]
        for key in ("rouge1", "rougeL"):
            if ours[key] < base[key] + 0.04:
                missed.append(f"{key} {ours[key]:.3f} < TextRank {base[key]:.3f} + 0.04")
        bare = pooled.rouge.get("unlabelled")
        if bare:  # the thread's own sentences alone: what the labels' words add
            print("summaries without their labels (pooled): ROUGE-1/2/L " + "/".join(
                f"{bare[k]:.3f}" for k in ("rouge1", "rouge2", "rougeL")) +
                f", over TextRank {bare['rouge1'] - base['rouge1']:+.3f} / "
                f"{bare['rougeL'] - base['rougeL']:+.3f} (ROUGE-1 / L; TextRank + 0.04 "
                + ("met" if min(bare[k] - base[k] for k in ("rouge1", "rougeL")) >= 0.04
                   else "not met") + " without the labels)")
        print(f"summaries: {pooled.summaries}, longest {pooled.max_words} words")
    print("outcome targets (pooled): " + ("all met" if not missed
                                          else "MISSED: " + "; ".join(missed)))
    return 0 if not missed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dirs", nargs="*")
    parser.add_argument("--lexicon", help="a user lexicon file merged into the packaged one")
    parser.add_argument("--cues", help="a user outcome cue file merged into the packaged one")
    parser.add_argument("--no-side-filter", action="store_true",
                        help="the cue rules' side effects unfiltered ([aggregate] "
                             "side_effect_filter = false)")
    parser.add_argument("--effect-model", action="store_true",
                        help="each pair's effect from the packaged effect model "
                             "([aggregate] effect_model = true)")
    parser.add_argument("--outcomes-only", action="store_true",
                        help="only outcomes and summaries (no tagging/linking block)")
    parser.add_argument("--real", help="a folder with labels.jsonl for real posts")
    args = parser.parse_args()
    dirs = [Path(d) for d in args.eval_dirs] or [ROOT.parent / "shared" / "eval"]
    for eval_dir in dirs:
        if not (eval_dir / "posts.jsonl").exists():
            print(f"no eval corpus at {eval_dir}", file=sys.stderr)
            return 2
    sets: list[tuple[str, list[dict]]] = []
    for eval_dir in dirs:
        for name in ("posts.jsonl", "outcomes_posts.jsonl"):
            if (eval_dir / name).exists():
                posts = [p for p in _read_jsonl(eval_dir / name) if "gold_outcomes" in p]
                if posts:
                    sets.append((f"{eval_dir.name}/{name}", posts))
    if args.real:
        real = load_real_posts(Path(args.real))
        if real is None:
            print(f"skipping --real {args.real}: the post text ({REALDATA}) is not here",
                  file=sys.stderr)
        else:
            sets.append((f"real:{Path(args.real).name}", real))
    status = 0
    if not args.outcomes_only:
        for eval_dir in dirs:
            if (eval_dir / "studies.jsonl").exists():
                status |= linking_report(eval_dir, args.lexicon)
        print()
    if sets:
        status |= outcome_report(sets, args.lexicon, args.cues, not args.no_side_filter,
                                 args.effect_model)
    return status


def linking_report(eval_dir: Path, lexicon_path: str | None) -> int:
    """Print the tagging and linking block of one eval folder; 1 if a target missed."""
    lexicon = load_lexicon(lexicon_path)
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
