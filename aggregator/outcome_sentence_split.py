"""Splitting a unit of the outcome reader (the title, the body or one reply) into sentences:
at ".", "!", "?" runs before a space, quote, bracket, markup or the end, at newlines and, in
a text that is not all ASCII, after an emoji; "??" and "?!" close a question only when it asks
one; a run-on "sentence" is read in bounded pieces. `_Extraction` of
`aggregator.outcome_reading` inherits this and holds the state it reads.
"""

from __future__ import annotations

import re
from typing import Final

from aggregator.compiled import trait

# [.!?]+ followed by a space, quote, bracket, markup or the end; or a newline. Written with
# literal-led branches (the regex engine then skips to the next candidate mark at C speed)
_SENTENCE_END: Final = re.compile("|".join(
    re.escape(mark) + r"[.!?]*(?=[\s\"')\]*_~]|$)" for mark in ".!?") + r"|\n")
# (outz) in a text that is not all ASCII, an emoji (with its modifiers) before a space or the
# end ends a sentence too ("temples got proper fuzz now 🙏 i also tried adding tret...": the
# gain is not the next treatment's)
_EMOJI: Final = "\U0001F300-\U0001FAFF\u2600-\u27BF"
_SENTENCE_END_EMOJI: Final = re.compile(
    _SENTENCE_END.pattern + f"|[{_EMOJI}][{_EMOJI}\ufe0f\u200d]*(?=\\s|$)")
# A run-on "sentence" longer than this is read in pieces cut at a space (a 100 kB body with no
# full stop would otherwise make the per-sentence rules, which compare cues with triggers,
# grow with the square of its length); no sentence of the labelled corpora comes near it.
_MAX_SENTENCE: Final = 2000
# (outm) a statement closed by "??", "?!" or "!?" ("crown is basically back??", "my part is
# half the width?!") is an exclamation, not a question, unless a question word opens it or it
# asks someone ("is this the shed??", "anyone else get this?!")
_ASKS: Final = re.compile(
    r"\W*(?:(?:so|and|but|ok|okay|then|wait|hmm|lol|also)\W+)?(?:do|does|did|is|are|was|were|am|can|could|will|would|should|shall|has|"
    r"have|had|how|what|why|when|where|which|who|whose|any|anyone|anybody|someone|u|you|"
    r"isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|wasn'?t|won'?t|might|may|must|or|if|maybe|perhaps|possibly|probably|think|guess)\b|"
    r".*\b(?:anyone|anybody|you|u|ya|normal|right|or not|too)\W*$")


@trait
class SentenceSplits:
    """A unit's sentences, found once per unit (see the module docstring)."""

    lowered: str  # the thread's lower-cased, normalised text
    _unit_sentences: dict[tuple[int, int], list[tuple[int, int, bool]]]

    def _sentences(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """(start, end, is a question) of each sentence of the unit [start, end) (found
        once per unit)."""
        found = self._unit_sentences.get((start, end))
        if found is None:
            found = []
            position = start
            ends = _SENTENCE_END if self.lowered.isascii() else _SENTENCE_END_EMOJI
            for mark in ends.finditer(self.lowered, start, end):
                stop = mark.end()  # (> position: marks are never empty)
                if stop - position > _MAX_SENTENCE:
                    position = self._cut_long(found, position, stop)
                found.append((position, stop, "?" in mark[0] and not (
                    len(mark[0]) > 1 and self._exclaimed(position, mark.start()))))
                position = stop
            if position < end:
                if end - position > _MAX_SENTENCE:
                    position = self._cut_long(found, position, end)
                found.append((position, end, False))
            self._unit_sentences[(start, end)] = found
        return found

    def _exclaimed(self, start: int, mark: int) -> bool:
        """(outm) Whether the sentence [start, mark) closed by a doubled or mixed mark is a
        statement (`_ASKS` finds no question in it)."""
        return _ASKS.match(self.lowered[start:mark]) is None

    def _cut_long(self, found: list[tuple[int, int, bool]], position: int, stop: int) -> int:
        """Append pieces of at most `_MAX_SENTENCE` characters (cut after a space when there
        is one) of an over-long sentence [position, stop); returns where the rest starts."""
        while stop - position > _MAX_SENTENCE:
            cut = self.lowered.rfind(" ", position + 1, position + _MAX_SENTENCE) + 1
            if cut <= position:
                cut = position + _MAX_SENTENCE
            found.append((position, cut, False))
            position = cut
        return position
