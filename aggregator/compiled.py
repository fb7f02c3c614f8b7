"""Whether this package's hot modules run compiled by mypyc, and the `trait` decorator they
need for it (see docs/aggregator.md, "Compiled build (mypyc)").

mypyc reads `trait` statically, as `mypy_extensions.trait` (a mixin becomes a trait, the one
kind of class a compiled class may inherit several of), and never calls it; at run time it
is a no-op, so neither mypy nor `mypy_extensions` is needed to run the code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_extensions import trait
else:

    def trait(cls: Any) -> Any:
        return cls


# the modules measured compiled (paths from the project's root; docs/aggregator.md,
# "Compiled build (mypyc)", has the command)
COMPILED_MODULES = (
    "aggregator/blocks.py",
    "aggregator/citations.py",
    "aggregator/linker.py",
    "aggregator/outcome_attribution.py",
    "aggregator/outcome_bystanders.py",
    "aggregator/outcome_clauses.py",
    "aggregator/outcome_cue_counting.py",
    "aggregator/outcome_cue_file.py",
    "aggregator/outcome_cue_schema.py",
    "aggregator/outcome_progress.py",
    "aggregator/outcome_reading.py",
    "aggregator/outcome_record.py",
    "aggregator/outcome_record_sides.py",
    "aggregator/outcome_reports.py",
    "aggregator/outcome_scope.py",
    "aggregator/outcome_sentence_split.py",
    "aggregator/outcome_speaker.py",
    "aggregator/outcome_switch.py",
    "aggregator/outcome_triggers.py",
    "aggregator/outcome_types.py",
    "aggregator/phrase_scanner.py",
    "aggregator/shorthand.py",
    "aggregator/similar_text.py",
    "aggregator/summaries.py",
    "aggregator/summary_baselines.py",
    "aggregator/summary_fit.py",
    "aggregator/summary_scores.py",
    "aggregator/summary_sentences.py",
    "aggregator/tagger.py",
    "aggregator/text.py",
)


def compiled_modules() -> list[str]:
    """The modules of `COMPILED_MODULES` imported from a compiled extension (not their .py)."""
    import importlib
    import importlib.machinery
    import sys

    found = []
    for path in COMPILED_MODULES:
        name = path.removesuffix(".py").replace("/", ".")
        module = sys.modules.get(name)
        if module is None:
            module = importlib.import_module(name)
        origin = getattr(module, "__file__", "") or ""
        if origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
            found.append(name)
    return found
