"""The sentiment fallback experiment's data (`benchmarks/sentiment_fallback.py`): the hair
words a valence word must be near, the lexicon words left out, the settings tried, and the
two lexicons read from the packages that ship them (VADER, TextBlob's Pattern adjectives)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# what a valence word must be near: the hair and the result
HAIR_WORDS = frozenset({
    "hair", "hairs", "hairline", "hairlines", "crown", "crowns", "temple", "temples",
    "vertex", "density", "coverage", "regrowth", "result", "results"})
# words of the lexicon that are about the conversation ("thanks", "hope", "lol"), the
# writer's stance ("honestly", "clearly"), the condition itself and hair or body words
# ("loss", "bald", "growth", "mature hairline", "heart"), worries (the scope's fear
# triggers), profanity (either sign) or generic approval ("like", "ok"), not about how a
# result went
_NOT_VALENCE = frozenset({
    "thanks", "thank", "thanked", "please", "help", "helps", "helped", "helpful", "hope",
    "hopes", "hoped", "hopefully", "hoping", "wish", "wishes", "like", "likes", "liked",
    "ok", "okay", "lol", "lmao", "haha", "hahaha", "yes", "no", "welcome", "sorry", "luck",
    "lucky", "kind", "kindly", "care", "agree", "agreed", "true", "want", "wants", "wanted",
    "interested", "interesting", "cure", "cured", "free", "loss", "lose", "loses", "losing",
    "lost", "bald", "balding", "baldness", "growth", "grow", "growing", "gain", "gains",
    "progress", "stable", "worry", "worries", "worried", "worrying", "scared", "scary",
    "afraid", "fear", "fears", "anxious", "anxiety", "stress", "stressed", "stressful",
    "fuck", "fucking", "fucked", "shit", "shitty", "hell", "damn", "crap", "god", "jesus",
    "pain", "problem", "problems", "issue", "issues", "risk", "risks", "side", "sides",
    "honest", "honestly", "clearly", "truly", "sure", "certainly", "recession", "mature",
    "natural", "healthy", "heart", "fake"})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Setting:
    """One way of using the lexicon (see the module docstring)."""

    name: str
    threshold: float = 2.0  # |valence| at least this (VADER's scale is -4..4)
    window: int = 4  # words between the valence word and a hair word, at most
    neg_kind: str | None = "declined"  # the kind of a negative word; None: positive only
    scope: str = "sentence"  # "sentence" or "speaker": where the rules found no effect cue
    first_person: str = "rules"  # "rules" or "sentence" (a marker in the sentence itself)
    treatment_anchor: bool = False  # a treatment's name counts as a hair word too
    lexicon: str = "vader"  # or "pattern": TextBlob's adjectives (polarity -1..1, x4)


# names: lexicon, |valence| threshold x10, window, then what differs from the first
SETTINGS = {s.name: s for s in (
    Setting("vader_t20_w4"),
    Setting("vader_t20_w4_positive_only", neg_kind=None),
    Setting("vader_t20_w4_speaker", scope="speaker"),
    Setting("vader_t20_w4_own_first_person", first_person="sentence"),
    Setting("vader_t15_w4", threshold=1.5),
    Setting("vader_t25_w4", threshold=2.5),
    Setting("vader_t20_w2", window=2),
    Setting("vader_t20_w6", window=6),
    Setting("vader_t20_w4_negative_no_effect", neg_kind="no_effect"),
    Setting("vader_t20_w4_treatment", treatment_anchor=True),
    Setting("vader_t20_w6_treatment_own_first_person", window=6, treatment_anchor=True,
            first_person="sentence"),
    Setting("pattern_t20_w4", lexicon="pattern"),
    Setting("pattern_t30_w4", threshold=3.0, lexicon="pattern"),
    Setting("pattern_t10_w4", threshold=1.0, lexicon="pattern"),
)}


def vader_lexicon() -> dict[str, float]:
    """Word -> mean valence of the lexicon file the `vaderSentiment` package ships (plain
    words only: no emoticons or phrases)."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("vaderSentiment is not installed (pip install vaderSentiment)")
    path = Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"
    valence: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and _WORD.fullmatch(fields[0]):
            valence[fields[0]] = float(fields[1])
    return valence


def pattern_lexicon() -> dict[str, float]:
    """Word -> polarity x 4 (VADER's scale) of the adjective lexicon TextBlob ships
    (`textblob/en/en-sentiment.xml`, from Pattern, BSD/MIT), averaged over a word's senses
    as Pattern does."""
    import importlib.util
    import xml.etree.ElementTree as ET

    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("textblob is not installed (pip install textblob)")
    path = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
    senses: dict[str, list[float]] = {}
    for word in ET.parse(path).getroot().iter("word"):
        form = word.get("form", "").lower()
        if _WORD.fullmatch(form) and word.get("polarity") is not None:
            senses.setdefault(form, []).append(float(word.get("polarity", "0")))
    return {w: 4 * sum(p) / len(p) for w, p in senses.items()}

