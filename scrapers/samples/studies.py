"""The sample study set: twelve invented hair-loss studies (they describe no real paper).

Identifiers use the DOI prefix ``10.5555/`` (reserved for examples) and PMIDs starting with
``99``, so they never collide with, or resolve to, a real record.
"""

from __future__ import annotations

from typing import Any

JOURNAL = "Hair Therapeutics Reports (synthetic sample)"

# key, pmid, doi, pmcid, (year, month, day), title, authors, abstract sections, tldr,
# citation count, MeSH terms, treatments.
STUDIES: list[dict[str, Any]] = [
    {
        "key": "oral-minox", "pmid": "99100001", "doi": "10.5555/hlsample.2024.001",
        "pmcid": "PMC9910001", "date": (2024, 3, 12),
        "title": "Low-dose oral minoxidil versus 5% topical minoxidil in men with "
                 "androgenetic alopecia: a 24-week randomised trial",
        "authors": ["Ana Ribeiro", "Tomasz Wrobel", "Kenji Sato"],
        "abstract": [
            ("BACKGROUND", "Many men now take minoxidil tablets instead of the solution."),
            ("METHODS", "We randomised 96 men to 2.5 mg oral minoxidil daily or 5% topical "
                        "minoxidil twice daily for 24 weeks and counted terminal hairs "
                        "in a marked vertex area."),
            ("RESULTS", "Hair counts rose in both arms with no significant difference; "
                        "hypertrichosis was more frequent with tablets."),
            ("CONCLUSIONS", "Oral minoxidil is an alternative to the topical form, "
                            "not a clearly stronger one."),
        ],
        "tldr": "Oral minoxidil 2.5 mg grew about as much hair as 5% topical minoxidil "
                "over 24 weeks, with more body hair as a side effect.",
        "citations": 41, "mesh": ["Minoxidil", "Alopecia", "Administration, Oral"],
        "treatments": ["minoxidil"],
    },
    {
        "key": "fin-8y", "pmid": "99100002", "doi": "10.5555/hlsample.2023.014",
        "pmcid": None, "date": (2023, 9, 4),
        "title": "Finasteride 1 mg over eight years: hair counts and persistence in a "
                 "clinic cohort",
        "authors": ["Giulia Moretti", "Paul Lindqvist"],
        "abstract": [
            ("", "We followed 212 men who started finasteride 1 mg daily and photographed "
                 "them yearly for eight years. Most kept or improved their hair over the "
                 "period; improvement peaked in the second year and declined slowly "
                 "afterwards. Sexual side effects were reported by 4% and led to "
                 "stopping in half of them."),
        ],
        "tldr": "Most men on finasteride kept or improved their hair for eight years; "
                "the best results came in year two.",
        "citations": 88, "mesh": ["Finasteride", "Alopecia", "Follow-Up Studies"],
        "treatments": ["finasteride"],
    },
    {
        "key": "dut-vs-fin", "pmid": "99100003", "doi": "10.5555/hlsample.2022.031",
        "pmcid": "PMC9910003", "date": (2022, 11, 20),
        "title": "Dutasteride 0.5 mg compared with finasteride 1 mg for male pattern "
                 "hair loss: a double-blind trial",
        "authors": ["Min-jun Park", "Laura Jimenez", "Oren Levi"],
        "abstract": [
            ("OBJECTIVE", "To compare dutasteride with finasteride in male pattern loss."),
            ("DESIGN", "Double-blind trial, 180 men, 24 weeks."),
            ("RESULTS", "Dutasteride increased hair counts more than finasteride (mean "
                        "difference 11 hairs/cm2); side effects were similar."),
        ],
        "tldr": "Dutasteride grew more hair than finasteride in 24 weeks with similar "
                "side effects.",
        "citations": 57, "mesh": ["Dutasteride", "Finasteride", "Alopecia"],
        "treatments": ["dutasteride", "finasteride"],
    },
    {
        "key": "mn-minox", "pmid": "99100004", "doi": "10.5555/hlsample.2024.007",
        "pmcid": "PMC9910004", "date": (2024, 6, 2),
        "title": "Weekly microneedling added to topical minoxidil: a split-group trial "
                 "in androgenetic alopecia",
        "authors": ["Priya Raman", "Daniel Okafor", "Sofia Lund"],
        "abstract": [
            ("BACKGROUND", "Microneedling may help minoxidil work in poor responders."),
            ("METHODS", "100 men used 5% minoxidil; half also had 1.5 mm dermaroller "
                        "sessions once a week for 12 weeks."),
            ("RESULTS", "Hair counts rose by 91 hairs/cm2 with microneedling plus "
                        "minoxidil and by 22 with minoxidil alone."),
        ],
        "tldr": "Adding weekly 1.5 mm microneedling to minoxidil roughly quadrupled hair "
                "count gains over minoxidil alone in 12 weeks.",
        "citations": 73, "mesh": ["Minoxidil", "Dry Needling", "Alopecia"],
        "treatments": ["microneedling", "minoxidil"],
    },
    {
        "key": "keto-shampoo", "pmid": "99100005", "doi": "10.5555/hlsample.2021.044",
        "pmcid": None, "date": (2021, 5, 17),
        "title": "Ketoconazole 2% shampoo as an adjunct in androgenetic alopecia",
        "authors": ["Henrik Aalto", "Mei Chen"],
        "abstract": [
            ("", "Sixty men used ketoconazole 2% shampoo or a neutral shampoo three times "
                 "a week for six months. Hair shaft diameter and sebum improved with "
                 "ketoconazole; hair counts changed little."),
        ],
        "tldr": "Ketoconazole shampoo thickened hair shafts a little but barely changed "
                "hair counts.",
        "citations": 19, "mesh": ["Ketoconazole", "Shampoos", "Alopecia"],
        "treatments": ["ketoconazole"],
    },
    {
        "key": "ru-topical", "pmid": "99100006", "doi": "10.5555/hlsample.2025.002",
        "pmcid": None, "date": (2025, 1, 28),
        "title": "Topical RU58841 in androgenetic alopecia: a small open-label "
                 "safety study",
        "authors": ["Marc Delacroix", "Ines Varga"],
        "abstract": [
            ("", "Twenty-two men applied RU58841 5% solution daily for 16 weeks. No "
                 "systemic hormonal changes were measured; three reported scalp "
                 "irritation. Efficacy could not be judged without a control group."),
        ],
        "tldr": "Topical RU58841 caused no measurable hormonal changes in 22 men over "
                "16 weeks; efficacy is unknown.",
        "citations": 6, "mesh": ["Androgen Antagonists", "Alopecia"],
        "treatments": ["ru58841"],
    },
    {
        "key": "prp-half-head", "pmid": "99100007", "doi": "10.5555/hlsample.2022.019",
        "pmcid": "PMC9910007", "date": (2022, 4, 9),
        "title": "Platelet-rich plasma injections in a half-head design: hair density "
                 "after three sessions",
        "authors": ["Elena Costa", "Yusuf Demir"],
        "abstract": [
            ("", "Thirty patients received PRP on one half of the scalp and saline on the "
                 "other, three sessions one month apart. Density increased on the treated "
                 "side at month three and faded by month nine without maintenance."),
        ],
        "tldr": "PRP increased density on the treated half of the scalp, but the gain "
                "faded within nine months.",
        "citations": 34, "mesh": ["Platelet-Rich Plasma", "Alopecia"],
        "treatments": ["prp"],
    },
    {
        "key": "saw-palmetto", "pmid": "99100008", "doi": "10.5555/hlsample.2023.022",
        "pmcid": None, "date": (2023, 2, 14),
        "title": "Saw palmetto extract versus finasteride for mild androgenetic alopecia",
        "authors": ["Robert Haines", "Chiara Bellini"],
        "abstract": [
            ("", "One hundred men took saw palmetto 320 mg or finasteride 1 mg daily for "
                 "two years. Improvement was seen in 38% of the saw palmetto group and "
                 "68% of the finasteride group."),
        ],
        "tldr": "Saw palmetto helped some men, but about half as often as finasteride.",
        "citations": 27, "mesh": ["Serenoa", "Finasteride", "Alopecia"],
        "treatments": ["finasteride", "saw_palmetto"],
    },
    {
        "key": "rosemary", "pmid": "99100009", "doi": "10.5555/hlsample.2021.008",
        "pmcid": None, "date": (2021, 8, 30),
        "title": "Rosemary oil compared with 2% minoxidil over six months",
        "authors": ["Lucia Fernandes", "Amir Haddad"],
        "abstract": [
            ("", "Fifty participants applied rosemary oil or 2% minoxidil daily. Both "
                 "groups gained hair at six months but not at three; scalp itch was "
                 "more common with minoxidil."),
        ],
        "tldr": "Rosemary oil matched 2% (not 5%) minoxidil at six months in a small "
                "trial.",
        "citations": 52, "mesh": ["Rosmarinus", "Plant Oils", "Minoxidil"],
        "treatments": ["minoxidil", "rosemary_oil"],
    },
    {
        "key": "lllt-cap", "pmid": "99100010", "doi": "10.5555/hlsample.2024.015",
        "pmcid": "PMC9910010", "date": (2024, 10, 1),
        "title": "Home laser caps for pattern hair loss: a sham-controlled trial of "
                 "low-level light therapy",
        "authors": ["Kevin Tran", "Hanna Berg"],
        "abstract": [
            ("", "Eighty adults used an active or sham 650 nm laser cap every other day "
                 "for 26 weeks. The active cap increased terminal hair counts modestly "
                 "(+17 hairs/cm2 over sham)."),
        ],
        "tldr": "An at-home 650 nm laser cap gave a modest gain over a sham cap in "
                "26 weeks.",
        "citations": 21, "mesh": ["Low-Level Light Therapy", "Alopecia"],
        "treatments": ["lllt"],
    },
    {
        "key": "fue-fin", "pmid": "99100011", "doi": "10.5555/hlsample.2025.011",
        "pmcid": None, "date": (2025, 5, 6),
        "title": "Graft survival and native hair loss after FUE with or without "
                 "finasteride",
        "authors": ["Omar Saleh", "Julia Novak"],
        "abstract": [
            ("", "We reviewed 140 men one and three years after follicular unit "
                 "extraction. Those on finasteride lost less native hair around the "
                 "grafts and were less likely to want a second transplant."),
        ],
        "tldr": "Men who took finasteride after an FUE transplant kept more native hair "
                "and needed fewer second procedures.",
        "citations": 9, "mesh": ["Hair Follicle", "Transplantation", "Finasteride"],
        "treatments": ["finasteride", "hair_transplant"],
    },
    {
        "key": "topical-fin", "pmid": "99100012", "doi": "10.5555/hlsample.2023.040",
        "pmcid": "PMC9910012", "date": (2023, 12, 3),
        "title": "Topical finasteride spray: scalp efficacy with lower serum levels",
        "authors": ["Nadia Petrova", "Luis Ortega", "Emma Walsh"],
        "abstract": [
            ("", "Men applied a 0.25% finasteride spray or took 1 mg tablets for 24 "
                 "weeks. Hair counts rose similarly; serum finasteride was far lower "
                 "with the spray and DHT fell less."),
        ],
        "tldr": "A topical finasteride spray grew hair like the tablet with much lower "
                "blood levels.",
        "citations": 38, "mesh": ["Finasteride", "Administration, Topical"],
        "treatments": ["finasteride"],
    },
]

# The term the sample PubMed source searches for.
PUBMED_TERM = "androgenetic alopecia[MeSH] AND treatment"


def study(key: str) -> dict[str, Any]:
    """The sample study with this key."""
    for item in STUDIES:
        if item["key"] == key:
            return item
    raise KeyError(key)
