"""The tagger: every alias family, every decoy and context rule, forms, counts, locations."""

from __future__ import annotations

import pytest

from aggregator.lexicon import load_lexicon
from aggregator.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_lexicon())


def tags_of(tagger: Tagger, text: str) -> set[str]:
    return set(tagger.tag(text))


ALIASES = [
    # minoxidil: name, misspellings, slang, brands, oral/topical forms
    ("been on minoxidil for a year", "minoxidil"),
    ("minoxodil gave me a shed", "minoxidil"),
    ("fin and min for 16 months", "minoxidil"),
    ("min 5% twice a day", "minoxidil"),
    ("started minox last spring", "minoxidil"),
    ("Rogaine foam every night", "minoxidil"),
    ("Regaine for women", "minoxidil"),
    ("Kirkland is cheaper", "minoxidil"),
    ("LDOM 2.5mg has been great", "minoxidil"),
    ("my doc prescribed Loniten", "minoxidil"),
    ("oral min made my face puffy", "minoxidil"),
    ("Tugain 5% solution from India", "minoxidil"),
    ("Hairgain 5% twice a day", "minoxidil"),
    ("Lonitab 2.5 split in half", "minoxidil"),
    # finasteride
    ("finasteride 1mg daily", "finasteride"),
    ("quit fin because of sides", "finasteride"),
    ("Propecia for 5 years", "finasteride"),
    ("cutting Proscar into quarters", "finasteride"),
    ("finastride side effects?", "finasteride"),
    ("topical fin spray", "finasteride"),
    ("started fina last week, 1mg daily", "finasteride"),
    ("Finast 1mg from the pharmacy", "finasteride"),
    # dutasteride
    ("dutasteride 0.5mg", "dutasteride"),
    ("switched to dut", "dutasteride"),
    ("dutas every other day", "dutasteride"),
    ("Avodart capsules", "dutasteride"),
    # ketoconazole
    ("Nizoral twice a week", "ketoconazole"),
    ("keto shampoo on off days", "ketoconazole"),
    ("which keto u using", "ketoconazole"),
    ("ketoconazole 2% cream", "ketoconazole"),
    # microneedling
    ("dermaroller 1.5mm weekly", "microneedling"),
    ("dermapen vs dermastamp", "microneedling"),
    ("MN once a week with minox", "microneedling"),
    ("got a roller with 0.5mm needles", "microneedling"),
    ("using a 1.2mm roller weekly", "microneedling"),
    ("microneedling sessions", "microneedling"),
    # ru58841
    ("RU58841 in ethanol", "ru58841"),
    ("RU + fin combo", "ru58841"),
    ("mixing ru into my topical solution", "ru58841"),
    # the rest of the catalogue
    ("Breezula trial results", "clascoterone"),
    ("clascoterone cream", "clascoterone"),
    ("KX-826 is it dead", "pyrilutamide"),
    ("switched to pyri and it's been ok", "pyrilutamide"),
    ("pyrilutamide phase 3", "pyrilutamide"),
    ("GT20029 results", "gt20029"),
    ("Retin-A on the scalp", "tretinoin"),
    ("tret with minox on my scalp", "tretinoin"),
    ("tretinoin 0.01%", "tretinoin"),
    ("spiro 100mg for PCOS", "spironolactone"),
    ("bica is liver toxic?", "bicalutamide"),
    ("topical cetirizine", "cetirizine"),
    ("Lumigan leftovers", "latanoprost"),
    ("bimatoprost on the hairline", "latanoprost"),
    ("setipiprant failed", "setipiprant"),
    ("saw palmetto instead of fin", "saw_palmetto"),
    ("pumpkin seed oil capsules", "pumpkin_seed_oil"),
    ("rosemary oil every night", "rosemary_oil"),
    ("Alpecin caffeine shampoo", "caffeine"),
    ("caffeine shampoo - snake oil?", "caffeine"),
    ("biotin gummies", "biotin"),
    ("zinc supplement daily", "zinc"),
    ("Head & Shoulders vs Nizoral", "pyrithione_zinc"),
    ("H&S is fine", "pyrithione_zinc"),
    ("zinc pyrithione shampoo", "pyrithione_zinc"),
    ("ferritin was 9", "iron"),
    ("taking iron for my low levels", "iron"),
    ("vitamin D at 14", "vitamin_d"),
    ("vit d3 5000 IU", "vitamin_d"),
    ("Capillus laser cap", "lllt"),
    ("red light therapy helmet", "lllt"),
    ("LLLT sessions", "lllt"),
    ("PRP every 3 months", "prp"),
    ("PRP for my thinning crown", "prp"),
    ("platelet-rich plasma injections", "prp"),
    ("mesotherapy cocktail", "mesotherapy"),
    ("exosomes for $2,500", "exosomes"),
    ("exosomes after microneedling my scalp", "exosomes"),
    ("FUE in Istanbul, 3200 grafts", "hair_transplant"),
    ("FUT scar", "hair_transplant"),
    ("shock loss after follicular unit excision", "hair_transplant"),
    ("got my HT last year", "hair_transplant"),
    ("hair transplant consult", "hair_transplant"),
    ("SMP at NW7", "smp"),
    ("scalp micropigmentation", "smp"),
    ("scalp massage 20 minutes a day", "scalp_massage"),
    ("topical melatonin for hair", "melatonin"),
    ("alfatradiol lotion", "alfatradiol"),
    ("Ell-Cranell from Germany", "alfatradiol"),
    ("17-alpha estradiol", "alfatradiol"),
    ("castor oil on the hairline", "castor_oil"),
    ("peppermint oil diluted", "peppermint_oil"),
]


@pytest.mark.parametrize(("text", "treatment"), ALIASES)
def test_alias_families(tagger: Tagger, text: str, treatment: str) -> None:
    assert treatment in tags_of(tagger, text)


def test_every_canonical_treatment_has_an_alias_test() -> None:
    covered = {t for _, t in ALIASES}
    assert covered == set(load_lexicon().treatments)


def test_the_big_3_is_three_treatments(tagger: Tagger) -> None:
    assert tags_of(tagger, "1 year on the big 3") == {"finasteride", "minoxidil",
                                                     "ketoconazole"}


DECOYS = [
    ("final exams and finally some sleep, I'm fine", "finasteride"),
    ("it takes 5 min to dry", "minoxidil"),
    ("wait a few min before rinsing", "minoxidil"),
    ("the minimum dose", "minoxidil"),
    ("admin pls sticky the FAQ", "minoxidil"),
    ("r u serious", "ru58841"),
    ("ru kidding me", "ru58841"),
    ("did the keto diet for 3 months", "ketoconazole"),
    ("keto made me lose weight fast", "ketoconazole"),
    ("my gf uses a flat iron", "iron"),
    ("pumping iron 4x a week", "iron"),
    ("ironically it got worse", "iron"),
    ("spironolactone 100mg", "iron"),
    ("had a kidney transplant", "hair_transplant"),
    ("got laser hair removal on my back", "lllt"),
    ("ran a red light on the way", "lllt"),
    ("pumpkin spice season", "pumpkin_seed_oil"),
    ("zinc pyrithione shampoo", "zinc"),
    ("I need caffeine to get through the day", "caffeine"),
    ("melatonin helps me sleep", "melatonin"),
    ("isotretinoin for acne", "tretinoin"),
    ("my jade roller for puffy eyes", "microneedling"),
    ("I live in MN, it's cold", "microneedling"),
    ("vitamins and hair gummies", "biotin"),
    ("cetirizine for my hay fever allergies", "cetirizine"),
    ("shark fin soup", "finasteride"),
    ("the ht of the building", "hair_transplant"),
    ("HT to u/someone for the tip", "hair_transplant"),
    ("my barber Spiro suggested a crop", "spironolactone"),
    ("PRP on my shoulder did nothing for the tendon", "prp"),
    ("exosome facials for her wrinkles", "exosomes"),
    ("a red light mask for her face", "lllt"),
    ("red light therapy for wrinkles", "lllt"),
    ("light therapy lamp for seasonal depression", "lllt"),
    ("la piel fina", "finasteride"),
    ("Age 24, HT 183cm, WT 88kg", "hair_transplant"),
    ("HT to whoever posted the lighting guide", "hair_transplant"),
    ("Hello, I am from RU, Moscow.", "ru58841"),
    ("use a lower iron temp and heat protectant", "iron"),
    ("the PRP injections in my patellar tendon worked", "prp"),
    ("I paused my tretinoin and only use sunscreen on my face", "tretinoin"),
    ("taking melatonin to fall asleep at 2am", "melatonin"),
    ("three laser sessions for tattoo removal", "lllt"),
    ("a $3000 package of laser sessions for my back hair removal", "lllt"),
]

# A look-alike sense set up anywhere in the thread makes a bare alias elsewhere in it the
# same look-alike, unless its own sentence says otherwise.
OTHER_SENSE = [
    ("Keto diet shedding", "Is this a known thing with keto?", [], "ketoconazole"),
    ("Good derms in MN?", "Moving to Minneapolis.", ["Not MN specific, check the wiki."],
     "microneedling"),
    ("Hair loss after kidney transplant", "Is this common after a transplant?", [],
     "hair_transplant"),
    ("Laser hair removal on my back", "Could the laser kill follicles on my scalp?", [],
     "lllt"),
    ("Accutane month 3", "Hair feels thinner. I paused my tretinoin when I started.", [],
     "tretinoin"),
    ("Which is better? (I am from RU)", "I live in Moscow.", [], "ru58841"),
    ("Flat iron every day", "Is a hot iron bad?", [], "iron"),
    ("Exam stress: coffee and melatonin, shedding?", "I take melatonin to fall asleep.", [],
     "melatonin"),
]


def test_one_sense_per_thread(tagger: Tagger) -> None:
    """A name or place found for one occurrence holds for the thread, unless a sentence
    says otherwise."""
    assert "spironolactone" not in tagger.tag("My barber Spiro says I'm thinning",
                                              "Spiro is usually right.")
    assert "spironolactone" in tagger.tag("My barber Spiro says I'm thinning",
                                          "My derm offered spiro 100mg for it.")
    assert "spironolactone" in tagger.tag("Spiro for PCOS?", "Spiro is working for me.")


@pytest.mark.parametrize(("title", "body", "replies", "treatment"), OTHER_SENSE)
def test_other_sense_in_the_thread(tagger: Tagger, title: str, body: str, replies: list[str],
                                   treatment: str) -> None:
    assert treatment not in tagger.tag(title, body, replies)


def test_other_sense_yields_to_a_cue_in_the_sentence(tagger: Tagger) -> None:
    assert "ketoconazole" in tagger.tag("Keto diet and hair", "I also use keto shampoo.")
    assert "ketoconazole" in tagger.tag("Keto diet and hair",
                                        "Washing with keto twice a week for dandruff.")
    assert "microneedling" in tagger.tag("Derms in Minneapolis?", "I do MN with a 1mm roller.")
    assert "lllt" in tagger.tag("Laser hair removal regret", "Now I use a laser for regrowth.")



@pytest.mark.parametrize(("text", "treatment"), DECOYS)
def test_decoys_and_context_rules(tagger: Tagger, text: str, treatment: str) -> None:
    assert treatment not in tags_of(tagger, text)


def test_pyrithione_only_for_zinc_pyrithione(tagger: Tagger) -> None:
    assert tags_of(tagger, "zinc pyrithione shampoo") == {"pyrithione_zinc"}


def test_min_with_dose_and_min_as_minutes_in_one_text(tagger: Tagger) -> None:
    tags = tagger.tag("Night: min 5mg. Let it sit 5 min.")
    assert tags["minoxidil"].mentions == 1


def test_word_boundaries(tagger: Tagger) -> None:
    assert tags_of(tagger, "finally finished the finale") == set()
    assert tags_of(tagger, "fin's sides, fin/min and fin+min") == {"finasteride", "minoxidil"}


def test_mentions_forms_and_locations(tagger: Tagger) -> None:
    tags = tagger.tag("Fin 1mg and Kirkland foam", "Still on fin. Fin is fine.",
                      ["keto shampoo helps", "oral minoxidil 2.5mg now"])
    assert tags["finasteride"].mentions == 3
    assert tags["finasteride"].locations == {"title", "body"}
    assert tags["finasteride"].forms == {"oral"}
    assert tags["minoxidil"].forms == {"topical", "oral"}
    assert tags["minoxidil"].locations == {"title", "replies"}
    assert tags["ketoconazole"].locations == {"replies"}
    assert tags["ketoconazole"].forms == set()


def test_forms_attach_to_the_nearest_mention(tagger: Tagger) -> None:
    tags = tagger.tag("oral min and topical fin")
    assert tags["minoxidil"].forms == {"oral"}
    assert tags["finasteride"].forms == {"topical"}


def test_forms_do_not_cross_sentences(tagger: Tagger) -> None:
    tags = tagger.tag("I use fin. The foam version of something else is nice.")
    assert tags["finasteride"].forms == set()


def test_form_implied_by_alias_and_mesotherapy(tagger: Tagger) -> None:
    assert tagger.tag("LDOM works")["minoxidil"].forms == {"oral"}
    assert tagger.tag("Propecia daily")["finasteride"].forms == {"oral"}
    assert tagger.tag("dut injections every 3 months")["dutasteride"].forms == {"mesotherapy"}
    assert tagger.tag("sublingual minoxidil")["minoxidil"].forms == {"sublingual"}


def test_as_row_orders_locations() -> None:
    tags = Tagger(load_lexicon()).tag("x", "fin", ["fin"])
    assert tags["finasteride"].as_row() == {"treatment_id": "finasteride", "mentions": 2,
                                            "forms": [], "locations": ["body", "replies"]}


def test_unicode_and_markup(tagger: Tagger) -> None:
    text = "**Fin**—min 🙏 [Rogaine](https://x.invalid) İstanbul FUE"
    assert tags_of(tagger, text) == {"finasteride", "minoxidil", "hair_transplant"}


def test_tag_text_gives_the_outcome_reader_its_input(tagger: Tagger) -> None:
    """`tag_text` returns the joined text lower-cased and normalised as the outcome reader
    would compute them, so passing them changes no outcome."""
    from aggregator.lexicon import lower_and_normalise
    from aggregator.outcomes import extract_outcomes, load_outcome_cues

    parts = ["Fin 1mg + Minox: İ regrew my crown", "Been on finasteride 2 years, no sides.",
             "Same here, dut made my libido drop though."]
    tags, lowered, norm, mentions = tagger.tag_text(*parts[:2], parts[2:])
    assert (lowered, norm) == lower_and_normalise("\n".join(parts))
    assert (tags, norm, mentions) == tagger.tag_with_mentions(*parts[:2], parts[2:])
    cues = load_outcome_cues()
    given = extract_outcomes(cues, parts, mentions, (lowered, norm))
    assert given == extract_outcomes(cues, parts, mentions)
    assert {"finasteride", "minoxidil", "dutasteride"} <= set(given)


FINDS_TEXTS = [text for text, _ in ALIASES + DECOYS] + [
    "My barber Spiro says I'm thinning", "spiro 100mg for it", "fin and min for 16 months",
    "5 min a day", "keto diet and keto shampoo", "I do MN with a 1mm roller", ""]


@pytest.mark.parametrize("text", FINDS_TEXTS)
def test_finds_answers_as_tag_does(tagger: Tagger, text: str) -> None:
    """`finds` (the summary's alias check) is `treatment in tag(text)`, for every
    treatment, context rules included."""
    found = tagger.tag(text)
    for treatment in tagger.lexicon.treatments:
        assert tagger.finds(text, treatment) == (treatment in found), (text, treatment)
