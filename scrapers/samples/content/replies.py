"""Reply lines per theme (a treatment id or "general"), picked for each thread's replies."""

from __future__ import annotations

# Reply lines per theme. `{cite}` in a reply line marks the topic's reply_cite.
REPLIES: dict[str, list[str]] = {
    "minoxidil": [
        "Same here, the minoxidil shed lasted about 8 weeks for me. Push through.",
        "Switched to oral minoxidil 2.5mg, way less hassle than the foam.",
        "Rogaine foam never irritated me, the liquid did.",
        "LDOM gave me some face hair but honestly worth it.",
        "Minox is a commitment, stop it and you lose the gains in a few months.",
    ],
    "finasteride": [
        "Fin is still the foundation, everything else is an add-on.",
        "Been on finasteride 5 years, zero sides. Don't let the forums scare you.",
        "Propecia is just expensive fin, get the generic.",
        "Topical fin worked for me when the pill gave me sides.",
        "Get bloods before and after starting finasteride, it helps with the anxiety.",
    ],
    "dutasteride": [
        "Dut did more for my hairline than fin ever did.",
        "Avodart capsules here, 0.5mg every other day is plenty for me.",
        "Switched from finasteride to dutasteride, no new sides.",
        "Dutasteride half-life is long, so missing a day doesn't matter.",
    ],
    "microneedling": [
        "I use a 1.5mm dermapen weekly and skip minox for 24 hours after.",
        "Microneedling was the thing that finally woke up my crown.",
        "Dermaroller at 0.5mm is too shallow for hair, go 1.5mm.",
        "Sterilise the roller with alcohol every time, infections are not fun.",
        "Here's the microneedling study with the numbers: {cite}",
    ],
    "ketoconazole": [
        "Nizoral twice a week, leave it on for 3-5 minutes.",
        "Keto shampoo helped my dandruff more than my hair.",
        "Ketoconazole 2% is cheap, no reason not to add it.",
    ],
    "ru58841": [
        "RU58841 has almost no human data, just be aware.",
        "Been on RU for a year, hairline held. Got some irritation early on.",
        "I quit RU, the sourcing stuff stressed me out more than the hair loss.",
    ],
    "prp": [
        "PRP helped me a little but the cost adds up fast.",
        "Did 4 PRP sessions, saw nothing. Money better spent on fin and minox.",
        "PRP seems to work better as an add-on than alone.",
    ],
    "saw_palmetto": [
        "Saw palmetto did nothing for me, fin did.",
        "There's a head-to-head study, saw palmetto helped about half as often: {cite}",
        "Saw palmetto is better than nothing if you really won't take finasteride.",
    ],
    "rosemary_oil": [
        "Rosemary oil smells nice, that's about it for me.",
        "Mix rosemary oil with jojoba, never apply it neat.",
        "The rosemary oil study was against 2% minoxidil, keep that in mind.",
    ],
    "lllt": [
        "Laser cap is a good add-on if you can afford it, not a replacement for meds.",
        "Red light panels are not the same power density as a proper LLLT cap.",
        "Used Capillus for a year, modest improvement at best.",
    ],
    "hair_transplant": [
        "Get on finasteride before the transplant or you'll chase your loss with grafts.",
        "Turkey FUE was fine for me but research the surgeon, not the clinic.",
        "Shock loss is real but mostly temporary.",
    ],
    "general": [
        "Consistency matters more than the perfect stack.",
        "Take photos in the same light every month, the mirror lies.",
        "Great progress man, keep going.",
        "Thanks for posting this, super helpful.",
        "See a dermatologist before adding more stuff.",
        "The long-term finasteride follow-up is PMID {pmid_fin}, if anyone wants it.",
    ],
}

# The reply line whose study is fixed (used where a reply cites the long-term fin study).
FIN_FOLLOWUP_KEY = "fin-8y"
