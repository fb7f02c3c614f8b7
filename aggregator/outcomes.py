"""What people report per treatment: effect and side effects, from first-hand sentences.

Follows `../shared/eval/OUTCOMES.md`. The cue words live in `outcome_cues.toml` (beside the
lexicon) and are compiled once (`outcome_cue_file`): one Aho-Corasick automaton over the
normalised text finds, in one pass per thread, the cues (effect and side-effect phrases,
and `[[near]]` words that count only just after a hair word) and the scope triggers
(negation, hypothetical, generic, first person, too early; a sentence's are those inside
it), plus a few regexes, each run only when the text holds its longest plain word.

A thread is read as units (title, body, each reply) and sentences. A cue counts when its
sentence is a first-hand report (ConText-style scoping):
- not a question; not in the scope of a hypothetical, fear or plan trigger a few words
  before it in its clause ("scared of brain fog", "if I get sides");
- not a generic or research statement: a `generic` trigger ("most people", "studies",
  "you") before it in its clause, or anywhere in a sentence with no first-person marker
  (a generic clause without first person ends at a clause break before one that has it:
  "funny how different people are, fin has held me for seven years"; an opinion frame is no
  first person: "I'd say the sexual sides are overblown", "I know guys on fin who got ED");
- not inside quotation marks; in a reply, after a first-person marker of that reply
  ("same here", "my", "I", "Been on fin...", a sentence opening with a past-tense verb:
  "Did 2 sessions", "4 years on proscar");
- effects only: not "too early" ("just started", "can't tell yet").
A trigger inside a cue phrase is none (ConText's pseudo-triggers: the "zero" of "zero
difference", the "kept" of "kept going back"); a cue running on into the next sentence
is dropped. A negation trigger a few words before the cue in its clause ("zero sides",
"didn't shed",
"no regrowth"; its scope ends at a cue of the other class: "zero sides and my hairline is
better") or just after it ("libido is fine", "Side effects: none"; after an effect cue only
"none", "zero", "nothing") drops a side effect and flips an effect (a negated gain is a
weak "no effect": it only counts for a speaker reporting nothing else); a `side_negation`
trigger ("cleared my", "less") only drops side effects. A `declined` cue ("worse",
"thinner", only a few words after a hair word) is no effect unless its sentence also reports
a gain (unless it is a setback set against every gain: told after it beyond a strong break,
"fin held my front for years, but the crown kept getting thinner" is both, or with "while" /
"whereas" either way; a loss told before the gain is the story before and after: "my
hairline was retreating for years, but finasteride regrew it" is a gain) or tells the
history before treatment ("since 2021 it was getting thinner"), or a shed (not denied, no
strong break between) beside it ("shock loss, my native hair thinned out"). A gain
whose object is a side-effect cue or "on its own" is none ("keto helped my flaking"); an
unqualified "sides" in a heading, or in a title without first person, names the subject.

The cue goes to the treatments named in its clause (beside others, not one it replaced or
is measured against: "from fin to dut", "than with fin alone"), else in the nearest clause
of its sentence that names one not as planned or negated (inside parentheses: what
precedes them), else to the treatments the unit last
named as used (all of a regimen listed over several sentences with no cue between them,
but only the new ones after a `switch` to them, "my derm switched me to dut": the run of
names joined right after the switch, not when all of them are already the topic, a new dose
or form, nor after a plan trigger, "my derm wants me to switch"; in the switch's sentence a
loss or side effect told a clause before the switch, its reason, is about what was left,
"the temples kept receding, so my derm moved me to dut", a gain never is;
the last named when the sentence says "it"), else to the thread's focus (the title's
treatments or the first ones the body names; for a title naming none, the poster's whole
regimen; a treatment named after "from", "than", "after", "skipped" sets no topic beside
others): "fin + min regrew my crown" credits both, but an effect credited to a whole
regimen counts only for a speaker who says nothing about that treatment on its own. A side
effect given to several treatments stays with those known to cause it (`[typical]`), and in
a sentence about the sessions with the procedure (`[procedures]`). Effects are gathered per
speaker (the poster, incl. replies marked OP, and each replier): both directions anywhere
make `mixed` (a loss and "did nothing" are one direction).

Also (issue 13, reader round): research talk ("the trial showed...") runs on over the
following sentences of its post that have no first-person marker; a side cue after a
pre-existing-condition trigger ("already", "diagnosed") is none; a cue carrying its own
negation ("no difference") is flipped only by a negation next to it; " and my " / " and i "
end a negation's scope (and, after a comma, a hypothetical's); a "zero"/"none" before a
word negates that word; "/s" flips the sentence; a comma list of treatments is one
subject; a cue right after a treatment is that one's when the others are not coordinated
with it. `outcome_progress` adds cues for progress
told without an effect word: Norwood stage changes, progress-photo titles ("2021 vs 2024"),
"<treatment>: nothing" verdicts and bare "nothing" verdicts (weak; neither on a side-effect
or downside subject: "Cons: nothing", "Any side effects? For me, nothing").

Round `outg` (issue 13) reads more ways of saying a gain or its absence as word classes of
the cue file (`[classes]` composed by `[[near]]`, and a few gated regexes): a hair state
changed from thin to thick ("went from wispy to coarse", "was see-through, now covered"; the
reverse is a loss), new or fatter hairs, the bare scalp shown no more, a shed counted
smaller ("used to pull twenty hairs, now two or three", "from around 120 to about 50"), hair
held for a span or at an earlier age, loss after stopping (the treatment had been working),
a gain that came late ("took me 10 months to see anything"), nothing until a change; and no
gain: nothing told apart or added, as if untreated, the loss going on regardless. An
`[[near]]` `after` item matches across a comma ("thin, now covered"); "any" after a
negation is the negation's, not a hypothetical; a `switch` trigger ending in "for" needs no
"to" ("so I asked my doctor for dutasteride").

Round `outg2` adds word classes of the same kind: praise said for the writer ("has been
great for me", "did work for me"), a hair count said to rise, a bare spot said to be (nearly)
hidden a few words after it ("the thin patch at the vertex is mostly covered now"), fuzz
seen in any tense; no gain: "not yet" after a span of many months ("8 months and nothing
yet", an `[[near]]` cue the `too_early` hedge it holds does not cancel), a loss told
"despite" a treatment, an add-on's extra not seen ("can't see any extra benefit over fin
alone"). Two code rules: a "too early" hedge in a later clause that names another treatment
or speaks to the reader leaves the earlier verdict ("spiro was useless for me, just
switched to bica, so too early to say"); an add-on's no-gain verdict ("extra", "added")
goes to the add-on, not to the base named after "with", "alongside", "over" or before
"alone" in its sentence or the one before (`outcome_record`).

Round `outj` reads the structure of `mixed`: bare "nothing" verdicts after or in a span, after
sessions, of one hair area beside a gain in another ("temples came back, crown nope"); a reply
that says how long in words is first-hand ("Two years on dut, ..."); a verdict "for some" /
"for others" is generic; the treatment that failed after "after" / "when" ("dut saved my
hairline after fin failed") is not credited with the other's gain (`outcome_attribution`);
"instead" after a choice told as made is no hypothetical (`outcome_scope`); a treatment
stopped "for this" is no topic for what follows; a spell that wore off, a late gain ("did
nothing until month nine"), "a dud".

Round `outl` reads no-gain, hold and scope wording of `outcomes_o` … `_q`: hair or photos that
"look identical", an area "just as wide", the loss that "marched on" or was "never stopped",
"not seeing anything new"; a hold as "no gains, no losses" or "the same as 2020"; the bare
spot "hard to find"; ", and the hair ..." ends a hypothetical; "week 5 of min" is too early; a
bare "nothing" set off by a colon negates no sameness (`outcome_scope`); an add-on's verdict
is not the base's it was "added ... to" (`outcome_record`); a gain "than it was on fin" is not
fin's (`outcome_attribution`).

Round `outp` reads the misses of `outcomes_u` … `_w`: "neither" negates; a case set up to reason
about ("say I'm 40 and ...") is hypothetical; something other than the hair said better or
helped ("my mood was way better", "helped with my sleep") is no gain and no side effect
(`outcome_scope`); a treatment named after "without" is not the cue's and the "without" is its
negation, not the cue's; a no-gain verdict beside a base named "on top of" is the add-on's
(`outcome_record`); "no growth", "drive" beside a fall, hair "given", the loss gone "no
further", itchy nipples (`breast`), the head's "both sides" (no side effect), "seeing
stars" on standing (`cardio`).

Round `outq` (stop 38) reads the misses of `outcomes_x` and `_y`: a gain given as an amount
("gave me a little thickness"), sped up, begun ("it started to fill"), a late one ("took 14
months to work"), the hairline "in the same spot as when I started", a Norwood arrow; no gain
as "didn't do a thing", "neither changed a thing", "like the dut wasn't even there"; a reply's
span in months opening a sentence is first-hand; a purpose ("to darken the crown") is no
report; a name after "without" is not the cue's, a combination credited by name ("the pairing
worked") is each one's own report (`outcome_bystanders`); two names with an effect cue between
them are two subjects (`outcome_clauses`); a negation guards no name of the next sentence.

Round `attrib` (stop 43) changes attribution, not words: a switch "X to Y" / "from X to Y" /
"X for Y" moves to Y and a loss or side effect given as its reason right after it is X's
(`outcome_switch`); a title's treatment named as the one replaced is no focus
(`outcome_attribution`); a sentence naming only partners of the thread's one subject ("but
I'm also on fin") credits the subject too (`outcome_bystanders`); crediting the whole stack
("I credit the pair") gives each of it the speaker's gain, crediting by name keeps the gain
for those named (`outcome_record`).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from types import ModuleType

from aggregator.outcome_cue_file import (
    PACKAGED_CUES,
    OutcomeCueError,
    OutcomeCues,
    build_cues,
    load_outcome_cues,
    merge_cues,
)
from aggregator.outcome_reading import Mention, ThreadInput
from aggregator.outcome_reading import extract_outcomes as rules_outcomes
from aggregator.outcome_types import EFFECTS, SIDE_EFFECTS, Outcome
from aggregator.tagger import Tagger

__all__ = ["EFFECTS", "PACKAGED_CUES", "SIDE_EFFECTS", "Outcome", "OutcomeCueError",
           "OutcomeCues", "ThreadInput", "build_cues", "extract_outcomes", "extract_outcomes_of",
           "load_outcome_cues", "merge_cues",
           "thread_outcomes"]


def extract_outcomes(cues: OutcomeCues, parts: Sequence[str], mentions: Sequence[Mention],
                     normalised: tuple[str, str] | None = None) -> dict[str, Outcome]:
    """Outcome per mentioned treatment of a thread: the cue rules'
    (`outcome_reading.extract_outcomes`, same arguments), with the effect the cues' effect
    model picks and less the side effects their side-effect filter drops, when they carry
    them (`outcome_config.outcome_cues_for`; `outcome_learned`): `extract_outcomes_of` of
    this one thread."""
    return extract_outcomes_of(cues, [(parts, mentions, normalised)])[0]


def extract_outcomes_of(cues: OutcomeCues, threads: Iterable[ThreadInput]
                        ) -> list[dict[str, Outcome]]:
    """`extract_outcomes` of each thread (parts, mentions, normalised text or None); with
    learned parts, read in one pass of `outcome_learned` (an effect model scores the
    threads' pairs together, cheaper than thread by thread, with the same outcomes)."""
    if cues.side_filter is None and cues.effect_model is None:
        return [rules_outcomes(cues, parts, mentions, normalised)
                for parts, mentions, normalised in threads]
    return _learned_reader().learned_outcomes_of(cues, threads)  # type: ignore[no-any-return]


@cache
def _learned_reader() -> ModuleType:
    # (imported on first use: the learned parts bring numpy, which `import
    # aggregator.outcomes` does not need)
    from aggregator import outcome_learned

    return outcome_learned


def thread_outcomes(tagger: Tagger, cues: OutcomeCues, title: str, body: str = "",
                    replies: Sequence[str] = ()) -> dict[str, Outcome]:
    """Tag a thread and extract its outcomes (for tests and evaluation; the aggregator
    reuses the mentions of its own tagging pass)."""
    _, _, mentions = tagger.tag_with_mentions(title, body, replies)
    return extract_outcomes(cues, [title, body, *replies], mentions)
