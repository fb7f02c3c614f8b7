"""The lexicon as data: every canonical id, categories, user overrides, the version hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.lexicon import CATEGORIES, LexiconError, build, load_lexicon, normalise
from aggregator.tagger import Tagger

CANONICAL = {
    "minoxidil", "finasteride", "dutasteride", "ketoconazole", "microneedling", "ru58841",
    "clascoterone", "pyrilutamide", "gt20029", "tretinoin", "spironolactone", "bicalutamide",
    "cetirizine", "latanoprost", "setipiprant", "saw_palmetto", "pumpkin_seed_oil",
    "rosemary_oil", "caffeine", "biotin", "zinc", "pyrithione_zinc", "iron", "vitamin_d",
    "lllt", "prp", "mesotherapy", "exosomes", "hair_transplant", "smp", "scalp_massage",
    "melatonin", "alfatradiol", "castor_oil", "peppermint_oil",
}


def test_every_canonical_id_with_a_category() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.treatments) == CANONICAL
    assert {t.category for t in lexicon.treatments.values()} <= set(CATEGORIES)
    assert lexicon.treatments["minoxidil"].forms == ("oral", "topical", "sublingual")
    assert lexicon.treatments["finasteride"].forms == ("oral", "topical")
    assert lexicon.treatments["dutasteride"].forms == ("oral", "topical", "mesotherapy")


def test_normalise_keeps_length() -> None:
    for text in ("Fin—min 🙏", "İstanbul FUE", "H&S", "naïve"):
        assert len(normalise(text)) == len(text)
    assert normalise("H&S, Fin!") == "h s  fin "


def test_user_lexicon_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('''
decoys = ["fin whale"]

[[treatment]]
id = "minoxidil"
aliases = ["minoxidil tonic x"]
remove_aliases = ["kirkland"]

[[treatment]]
id = "nanoxidil"
name = "Nanoxidil"
category = "drug"
aliases = ["nanoxidil", "nano x"]
''', encoding="utf-8")
    base = load_lexicon()
    mine = load_lexicon(path)
    assert mine.version_hash != base.version_hash
    tagger = Tagger(mine)
    assert set(tagger.tag("minoxidil tonic x")) == {"minoxidil"}
    assert "minoxidil" not in tagger.tag("Kirkland foam")
    assert set(tagger.tag("trying nano x")) == {"nanoxidil"}
    assert "finasteride" not in tagger.tag("saw a fin whale")
    assert "minoxidil" in Tagger(base).tag("Kirkland foam")


def test_replace_aliases(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[[treatment]]\nid = "finasteride"\nreplace_aliases = true\n'
                    'aliases = ["finnyboi"]\n', encoding="utf-8")
    tagger = Tagger(load_lexicon(path))
    assert "finasteride" not in tagger.tag("Propecia daily")
    assert "finasteride" in tagger.tag("finnyboi daily")


@pytest.mark.parametrize(("content", "message"), [
    ("[[treatment]]\nname = 'x'\n", "needs an id"),
    ("[[treatment]]\nid = 'x'\ncategory = 'magic'\n", "category"),
    ("[[treatment]]\nid = 'x'\nforms = ['rectal']\n", "unknown form"),
    ("[[treatment]]\nid = 'x'\n[[treatment.rule]]\naliases = ['y']\nreject_before = '('\n",
     "bad regex"),
    ("[[combo]]\naliases = ['z']\ntreatments = ['nope']\n", "unknown treatment"),
    ("this is = = not toml", "not valid TOML"),
])
def test_bad_user_lexicon_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon(path)


def test_a_treatment_defined_twice_in_one_file_is_refused() -> None:
    entry = {"id": "cetirizine", "name": "Cetirizine", "aliases": ["zyrtec"]}
    assert set(build({"treatment": [entry]}, origin="x.toml").treatments) == {"cetirizine"}
    with pytest.raises(LexiconError, match=r"x\.toml: treatment 'cetirizine' is defined twice"):
        build({"treatment": [entry, {**entry, "aliases": ["cetirizine hcl"]}]},
              origin="x.toml")


def test_missing_user_lexicon(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon(tmp_path / "absent.toml")
