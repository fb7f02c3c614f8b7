"""The generated forum threads and studies of the aggregator benchmarks (fixed seeds: the
same data for the same sizes), and a database holding them (`build_db`).

Imported by `benchmarks/aggregate.py` (which re-exports these names), `outcomes_speed.py`,
`summaries_speed.py` and `cue_change.py`; hairlink is imported from whatever checkout is
first on `sys.path` (`aggregate.py --code DIR` puts another one there).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from models.db import make_engine
from models.entities import Base, Reply, Source, Study, Thread
from models.store import content_hash

# Treatments by how often forums talk about them, and how they are spelled there.
SPELLINGS: dict[str, list[str]] = {
    "minoxidil": ["minoxidil", "minox", "min", "Rogaine", "Kirkland 5% foam", "LDOM 2.5mg",
                  "oral min", "topical minoxidil", "minoxodil", "Regaine", "liquid minox"],
    "finasteride": ["finasteride", "fin", "fin 1mg", "Propecia", "Proscar", "topical fin",
                    "finastride", "Fin"],
    "dutasteride": ["dutasteride", "dut", "dut 0.5mg", "Avodart", "dutas", "dut meso"],
    "ketoconazole": ["Nizoral", "keto shampoo", "ketoconazole 2%", "keto", "the big 3"],
    "microneedling": ["microneedling", "dermaroller", "dermapen", "MN 1.5mm", "derma stamp"],
    "ru58841": ["RU58841", "RU", "ru58841 5%"],
    "hair_transplant": ["hair transplant", "FUE", "FUT", "HT", "3000 grafts"],
    "lllt": ["laser cap", "Capillus", "red light therapy", "LLLT", "iRestore"],
    "prp": ["PRP", "platelet rich plasma", "PRP sessions"],
    "spironolactone": ["spiro", "spironolactone 100mg"],
    "biotin": ["biotin"], "saw_palmetto": ["saw palmetto", "saw palm"],
    "rosemary_oil": ["rosemary oil"], "pumpkin_seed_oil": ["pumpkin seed oil", "PSO"],
    "iron": ["ferritin", "iron supplements"], "vitamin_d": ["vitamin D", "vit D3"],
    "tretinoin": ["tretinoin", "tret", "Retin-A"], "latanoprost": ["latanoprost", "Lumigan"],
    "pyrilutamide": ["pyrilutamide", "KX-826"], "clascoterone": ["clascoterone", "Breezula"],
    "caffeine": ["caffeine shampoo", "Alpecin"], "smp": ["SMP", "scalp micropigmentation"],
    "exosomes": ["exosomes"], "mesotherapy": ["mesotherapy", "scalp injections"],
    "pyrithione_zinc": ["Head & Shoulders", "zinc pyrithione"], "zinc": ["zinc"],
    "scalp_massage": ["scalp massage"], "bicalutamide": ["bica", "bicalutamide"],
    "setipiprant": ["setipiprant"], "gt20029": ["GT20029"], "cetirizine": ["topical cetirizine"],
    "melatonin": ["topical melatonin"], "alfatradiol": ["alfatradiol"],
    "castor_oil": ["castor oil"], "peppermint_oil": ["peppermint oil"],
}
POPULARITY = {"minoxidil": 30, "finasteride": 28, "dutasteride": 10, "ketoconazole": 10,
              "microneedling": 8, "ru58841": 5, "hair_transplant": 8, "lllt": 4, "prp": 3}
TEMPLATES = [
    "Started {t} about {n} months ago and the crown looks a bit better.",
    "Has anyone combined {t} with {u}? My derm suggested it.",
    "Quit {t} because of sides, thinking about {u} instead.",
    "{t} made me shed like crazy in month {n}, is that normal?",
    "I've been on {t} for {n} years, hairline is holding.",
    "Is {t} worth it compared to {u} for a NW{n}?",
    "My derm said {t} first, then maybe {u} if it doesn't work.",
    "Been reading the {t} study again, results look solid at {n} months.",
]
DECOYS = [
    "It takes like {n} min to dry before bed.", "Finally got the final results back.",
    "I'm fine with it honestly.", "Did the keto diet for {n} months and lost weight.",
    "My gf uses a flat iron every morning.", "I've been pumping iron {n}x a week.",
    "Ran a red light on the way to the derm lol.", "Got laser hair removal on my back.",
    "Wait a min, the admin deleted my post.", "I need caffeine to get through the day.",
    "Melatonin helps me sleep on flights.", "Had a kidney transplant years ago.",
    "Pumpkin spice season is back.", "Isotretinoin for acne wrecked my skin.",
]
_FILLER_TEXT = (
    "honestly the crown is thinning and my temples keep receding which sucks "
    "derm appointment next week bloodwork came back normal shedding stopped after "
    "photos every month same lighting part line looks wider hairline mature or receding "
    "genetics dad is slick bald grandpa on mom side full head stress might be part of it "
    "sleep diet gym routine shampoo every other day conditioner helps texture density "
    "vertex frontal diffuse thinning progress pics in comments results vary for everyone"
)
FILLER = _FILLER_TEXT.split()
_SCI_TEXT = (
    "randomized controlled trial participants androgenetic alopecia efficacy safety "
    "placebo double blind weeks months hair count density terminal vellus anagen telogen "
    "ratio phototrichogram global photographic assessment adverse events sexual "
    "dysfunction serum dihydrotestosterone follicle miniaturization dermatology cohort "
    "retrospective prospective meta analysis systematic review women men adolescents "
    "dose response tolerability follow up baseline outcome endpoint significant improvement"
)
SCI = _SCI_TEXT.split()


def _sentence(rng: random.Random, treatments: list[str]) -> str:
    t = rng.choice(SPELLINGS[rng.choice(treatments)])
    u = rng.choice(SPELLINGS[rng.choice(treatments)])
    return rng.choice(TEMPLATES).format(t=t, u=u, n=rng.randint(1, 12))


def _filler(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(FILLER, k=words)).capitalize() + "."


def generate_threads(count: int, studies: int, seed: int = 7) -> list[dict[str, Any]]:
    """Forum threads with treatment talk, decoys, fillers and some study links."""
    rng = random.Random(seed)
    names = list(SPELLINGS)
    weights = [POPULARITY.get(n, 1) for n in names]
    threads = []
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(count):
        k = rng.choice((0, 1, 1, 2, 2, 3))
        chosen = sorted(set(rng.choices(names, weights=weights, k=k)))
        parts: list[str] = []
        target_words = rng.randint(40, 250)
        words = 0
        while words < target_words:
            roll = rng.random()
            if chosen and roll < 0.35:
                sentence = _sentence(rng, chosen)
            elif roll < 0.45:
                sentence = rng.choice(DECOYS).format(n=rng.randint(2, 20))
            else:
                sentence = _filler(rng, rng.randint(6, 18))
            parts.append(sentence)
            words += sentence.count(" ") + 1
        if rng.random() < 0.01 and studies:
            parts.append(f"Paper: https://doi.org/10.5555/gen.{rng.randrange(studies)}")
        title = _sentence(rng, chosen) if chosen else _filler(rng, rng.randint(4, 9))
        replies = []
        for j in range(rng.choice((0, 1, 2, 3, 4))):
            text = _sentence(rng, chosen) if chosen and rng.random() < 0.5 else \
                _filler(rng, rng.randint(8, 40))
            replies.append({"external_id": f"r{i}-{j}", "body": text, "position": j})
        threads.append({"external_id": f"g{i}", "title": title, "body": " ".join(parts),
                        "created_at": base + timedelta(minutes=i), "replies": replies})
    return threads


def generate_studies(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """Studies about one or two treatments, with identifiers, abstracts and TLDRs."""
    rng = random.Random(seed)
    names = list(SPELLINGS)
    weights = [POPULARITY.get(n, 1) for n in names]
    studies = []
    for i in range(count):
        main, other = rng.choices(names, weights=weights, k=2)
        a, b = SPELLINGS[main][0], SPELLINGS[other][0]
        title = (f"{a.capitalize()} versus {b} in {rng.choice(('men', 'women'))} with "
                 f"androgenetic alopecia: a {rng.choice(('randomized', 'retrospective'))} "
                 f"{rng.choice(('trial', 'study', 'cohort'))} {i}")
        abstract = " ".join(
            f"{rng.choice((a, b)).capitalize()} " + " ".join(rng.choices(SCI, k=14)) + "."
            for _ in range(4))
        studies.append({"doi": f"10.5555/gen.{i}", "pmid": str(990000000 + i),
                        "title": title, "abstract": abstract,
                        "tldr": f"{a.capitalize()} improved hair counts over "
                                f"{rng.randint(6, 48)} weeks.", "mesh_terms": ["Alopecia"]})
    return studies


def build_db(url: str, n_threads: int, n_studies: int) -> list[dict[str, Any]]:
    """A database with the generated rows (bulk Core inserts: setup, not measured)."""
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    now = datetime.now(UTC)
    threads = generate_threads(n_threads, n_studies)
    with engine.begin() as conn:
        source_id = conn.execute(insert(Source).values(
            name="generated", kind="reddit", base_url="https://gen.invalid",
            created_at=now)).inserted_primary_key[0]
        rows = [{"source_id": source_id, "external_id": t["external_id"],
                 "url": f"https://gen.invalid/{t['external_id']}", "title": t["title"],
                 "body": t["body"], "created_at": t["created_at"], "first_seen_at": now,
                 "last_seen_at": now, "num_comments": len(t["replies"]),
                 "content_hash": content_hash(t["title"], t["body"], t["replies"])}
                for t in threads]
        conn.execute(insert(Thread), rows)
        ids = dict(conn.execute(select(Thread.external_id, Thread.id)).all())
        conn.execute(insert(Reply), [{"thread_id": ids[t["external_id"]], **r}
                                     for t in threads for r in t["replies"]])
        conn.execute(insert(Study), [{**s, "created_at": now, "updated_at": now,
                                      "authors": [], "publication_types": [],
                                      "content_hash": f"gen{i}"}
                                     for i, s in enumerate(generate_studies(n_studies))])
    engine.dispose()
    return threads
