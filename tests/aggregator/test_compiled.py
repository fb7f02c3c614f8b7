"""`aggregator.compiled`: the `trait` decorator without mypy installed, and the report of
which hot modules run compiled (none in a plain checkout; see docs/aggregator.md, "Compiled
build (mypyc)")."""

from __future__ import annotations

import importlib
import importlib.machinery
from pathlib import Path

import pytest

from aggregator import compiled

ROOT = Path(__file__).resolve().parents[2]


def test_trait_is_a_no_op_at_run_time() -> None:
    class Mixin:
        def hello(self) -> str:
            return "hi"

    assert compiled.trait(Mixin) is Mixin
    assert compiled.trait.__module__ == "aggregator.compiled"  # not mypy_extensions'


def test_the_mixins_still_combine_in_order() -> None:
    """The traits' method stubs never shadow the real methods (`_Extraction`'s order; in a
    compiled build the methods are native and the outcome hashes check the same)."""
    if "aggregator.outcome_reading" in compiled.compiled_modules():
        pytest.skip("compiled: methods are not plain functions to compare")
    from aggregator.outcome_attribution import Attribution
    from aggregator.outcome_reading import _Extraction
    from aggregator.outcome_scope import ScopeChecks
    from aggregator.outcome_speaker import SpeakerChecks

    assert _Extraction._condition_after is ScopeChecks._condition_after
    assert _Extraction._treatments_in is Attribution._treatments_in
    assert _Extraction._sentences is not Attribution._sentences
    assert _Extraction._patterns_for is not SpeakerChecks._patterns_for


def test_the_reader_bases_are_compiled_with_it() -> None:
    """Every class `_Extraction` inherits comes from a module compiled with it (a base left
    out makes `_Extraction` a non-native class and its methods plain Python)."""
    from aggregator.outcome_reading import _Extraction

    listed = {p.removesuffix(".py").replace("/", ".") for p in compiled.COMPILED_MODULES}
    assert {c.__module__ for c in _Extraction.__mro__[:-1]} <= listed


def test_compiled_modules_are_the_extension_modules() -> None:
    found = compiled.compiled_modules()
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for path in compiled.COMPILED_MODULES:
        assert (ROOT / path).exists(), path
        name = path.removesuffix(".py").replace("/", ".")
        origin = importlib.import_module(name).__file__ or ""
        assert (name in found) == origin.endswith(suffixes), name
    assert set(found) <= {p.removesuffix(".py").replace("/", ".")
                          for p in compiled.COMPILED_MODULES}
