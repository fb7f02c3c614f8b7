"""Extra title wordings per topic: every community titles a shared topic differently."""

from __future__ import annotations

# Two more title variants per topic (same order as TOPICS), so that each community words a
# shared topic its own way: community N uses title N of `titles + EXTRA_TITLES[i]`.
EXTRA_TITLES: list[tuple[str, str]] = [
    ("Minoxidil tablets vs the solution - the trial data", "Oral minox: better than topical?"),
    ("My finasteride/minoxidil year, photos inside", "Fin and minox one year check-in"),
    ("From finasteride to dutasteride: what changed", "Dut after 3 years of fin - results"),
    ("Dermaroller with minoxidil: the 12-week trial", "Needling + minox, where the 4x claim "
                                                      "comes from"),
    ("Starting microneedling - which needle length?", "First time dermastamping, help"),
    ("Ketoconazole shampoo: evidence or habit?", "Nizoral for hair loss, any real data?"),
    ("RU58841 users, how is it going?", "RU58841 in 2025: experiences and worries"),
    ("Three PRP sessions later - disappointed", "PRP injections: my results so far"),
    ("Saw palmetto as a fin alternative?", "Scared of fin, considering saw palmetto"),
    ("Rosemary oil vs minoxidil: what the study tested", "That rosemary oil paper, read it "
                                                         "again"),
    ("Half a year with a laser cap", "LLLT cap review after 6 months"),
    ("Transplant booked, do I need finasteride?", "Should I start fin before my FUE?"),
    ("Finasteride spray instead of tablets", "Topical finasteride: worth switching?"),
    ("Eight years of finasteride, questions welcome", "Long-time Propecia user checking in"),
    ("Minoxidil shedding phase - normal length?", "Shedding on minoxidil, how long?"),
    ("Oral minoxidil and a racing heart", "Palpitations after raising my LDOM dose"),
    ("Rate my regimen", "Two years in, here is my hair loss stack"),
    ("Dutasteride mesotherapy experiences?", "Scalp dut injections - anyone?"),
    ("Finasteride sides faded for me", "Early finasteride side effects, then nothing"),
    ("Spironolactone or oral minoxidil for FPHL?", "Widening part at 31, spiro vs LDOM"),
    ("Hair transplant consult booked at last", "Going for a transplant after 4 years of meds"),
    ("PRP with microneedling, any better?", "Combining PRP and needling"),
    ("Nizoral too drying - other keto options?", "Ketoconazole cream on the scalp?"),
    ("Saw palmetto gummies on top of fin?", "Hair vitamins with saw palmetto: pointless?"),
    ("Big 3, two years, before and after", "Fin, minox, keto: 24 month update"),
    ("1mm vs 1.5mm microneedling", "Shallower needling still worth it?"),
    ("Cheap red light panel or a real laser cap?", "LLLT devices compared"),
    ("Shed after starting RU58841?", "RU58841 week 3 shedding"),
    ("Dutasteride: the blood donation wait", "Heads up: 6 months no blood donation on dut"),
    ("Rosemary oil burned my scalp", "Neat rosemary oil was a mistake"),
    ("Compounded topical fin + minoxidil, 3 months", "Fin/minox solution experiences"),
    ("One year after a 3000 graft FUE", "FUE results at 12 months"),
    ("Rogaine foam or liquid?", "Liquid minoxidil flakes, switch to foam?"),
    ("Laser cap trial with a sham control", "New LLLT study, better designed than most"),
    ("Alternating Nizoral and Head & Shoulders", "Keto shampoo and H&S rotation"),
    ("Where is the 8-year finasteride paper?", "Need long-term fin data for my GP"),
    ("PRP after pregnancy hair loss worked", "Six PRP sessions, female, happy"),
    ("Dutasteride or 5mg oral minoxidil next?", "Temples still going - dut or more minox?"),
    ("Saw palmetto and pumpkin seed oil, one year", "Natural route for a year: results"),
    ("Applying minoxidil on wet hair?", "When do you put minoxidil on?"),
    ("Dermaroller shedding - should I stop?", "More shedding since microneedling"),
    ("High hairline: transplant or lowering surgery?", "FUE vs hairline lowering"),
    ("Does topical finasteride reach the blood?", "Topical fin serum levels"),
    ("Finasteride sides, now thinking RU58841", "Off fin due to sides - RU as plan B?"),
    ("Nightly scalp massage with rosemary oil", "Rosemary oil + massage, my wind-down"),
    ("Ketoconazole cleared seb derm and shedding", "Nizoral for seborrheic dermatitis and "
                                                   "hair"),
    ("Old HairMax laser comb - use it?", "Laser comb: any point in 2025?"),
    ("Oral vs topical minoxidil trial summary", "The LDOM vs topical RCT in plain words"),
]
