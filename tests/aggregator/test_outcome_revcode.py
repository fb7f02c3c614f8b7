"""Review `revcode` of the stop-33 outcome changes: the modal "may" before a word that starts
like a month, user cue files naming classes wrongly, and user `[[near]]` words spelt
differently from a packaged one (each test fails without its fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.lexicon import lower_and_normalise
from aggregator.outcome_cue_file import OutcomeCueError, load_outcome_cues
from aggregator.outcome_near import near_checked
from tests.aggregator.outcome_helpers import effect


@pytest.mark.parametrize("body", [
    "Fin may decrease my shedding and make my crown thicker.",
    "Minoxidil may marginally thicken my crown, my crown is thicker.",
])
def test_the_modal_may_before_a_month_like_word_still_hedges(body: str) -> None:
    treatment = "finasteride" if body.startswith("Fin") else "minoxidil"
    assert effect(treatment, "question", body) == "none"


def _user_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_class_names_the_user_file_its_line_and_its_own_entry(
        tmp_path: Path) -> None:
    path = _user_file(tmp_path, '# mine\n[[near]]\nkind = "improved"\nwords = ["zzz"]\n'
                                'after = ["@nope"]\n')
    with pytest.raises(OutcomeCueError) as raised:
        load_outcome_cues(path)
    assert str(raised.value) == (f"{path}: line 2: [[near]] #1 after: unknown class '@nope' "
                                 "(no [classes] nope)")


@pytest.mark.parametrize(("text", "message"), [
    ('[[near]]\nkind = "improved"\nwords = ["zzz"]\nafter = ["@Hair_area"]\n',
     "bad class name '@Hair_area'"),
    ('[[near]]\nkind = "improved"\nwords = ["zzz"]\nafter = ["@hair-area"]\n',
     "bad class name '@hair-area'"),
    ('[classes]\nfoo = ["@hair_area"]\n', "a class lists words, not classes"),
])
def test_a_misspelt_class_reference_is_an_error_not_a_phrase(tmp_path: Path, text: str,
                                                              message: str) -> None:
    with pytest.raises(OutcomeCueError, match=message):
        load_outcome_cues(_user_file(tmp_path, text))


@pytest.mark.parametrize("word", ["wider", "Wider", "wider "])
def test_a_user_near_word_is_read_whatever_its_spelling(tmp_path: Path, word: str) -> None:
    cues = load_outcome_cues(_user_file(
        tmp_path, f'[[near]]\nkind = "improved"\nwords = ["{word}"]\nafter = ["quux"]\n'
                  'within = 2\n'))
    text = "the quux wider now"
    lowered, norm = lower_and_normalise(text)
    found, _ = cues.scanner.scan(f" {norm} ")
    kept = near_checked(cues, found, lowered, norm, [])
    assert [(text[start:end], kind) for start, end, _, kind in kept] == [("wider", "improved")]
