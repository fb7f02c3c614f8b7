"""Readings the review of the `outv` round (helper `revv`, hand-written set C) found broken:
the `[typical] skin` list keeps a scalp side effect with what is put on the scalp, and
finasteride or dutasteride put on the scalp ("topical fin") is such a treatment."""

from __future__ import annotations

import pytest

from tests.aggregator.outcome_helpers import sides


@pytest.mark.parametrize(("title", "body"), [
    ("Topical fin and topical min for a year", "My scalp got red and itchy."),
    ("Topical fin and RU for a year", "My scalp got red and itchy."),
    ("6 month update", "6 months on topical fin/min spray. Crown is thicker. "
                       "Had a bit of scalp redness that went away."),
    ("Dut solution plus minoxidil", "Both go on at night. Scalp is flaky and itchy since."),
])
def test_a_scalp_side_goes_to_finasteride_or_dutasteride_put_on_the_scalp(
        title: str, body: str) -> None:
    treatment = "dutasteride" if title.startswith("Dut") else "finasteride"
    assert "skin" in sides(treatment, title, body)


def test_oral_finasteride_beside_a_topical_leaves_the_scalp_side_to_the_topical() -> None:
    title, body = "Oral fin and topical min for a year", "My scalp got red and itchy."
    assert sides("finasteride", title, body) == ()
    assert sides("minoxidil", title, body) == ("skin",)
