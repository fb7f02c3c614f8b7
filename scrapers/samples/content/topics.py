"""The thread topics every sample community posts: titles, opening posts, themes.

`{cite}` in a body marks where the generator puts a citation of the topic's study.
"""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    """A thread idea: two title variants, an opening post, a theme for its replies."""

    titles: tuple[str, str]
    body: str
    theme: str           # picks replies from replies.REPLIES (a treatment id or "general")
    kind: str            # question | progress | research | routine | sides | general
    cite: str | None = None          # study key cited in the opening post
    reply_cite: str | None = None    # study key cited in the first reply instead


TOPICS: list[Topic] = [
    Topic(("Oral minoxidil vs topical, is there an actual study?",
           "LDOM or foam? Someone please point me at data"),
          "Derm offered me oral minoxidil 2.5mg since the foam makes my scalp itch like "
          "crazy. Found this trial that says they're about equal: {cite} Anyone switched "
          "and noticed a difference? Mostly worried about the heart stuff and face hair.",
          "minoxidil", "research", cite="oral-minox"),
    Topic(("1 year fin + min progress, crown filled in",
           "12 months on finasteride and minoxidil - crown update"),
          "Started finasteride 1mg daily and Kirkland 5% foam last November. Shed hard "
          "around month 3, nearly quit. Crown is clearly denser now, temples meh. "
          "Keeping the routine, adding keto shampoo twice a week.",
          "finasteride", "progress"),
    Topic(("Switched from fin to dut, 6 month update",
           "Dutasteride after finasteride plateau - my 6 months"),
          "Plateaued on fin after 3 years so my doctor moved me to dutasteride 0.5mg. "
          "Six months in, hairline looks a bit fuller and no sides so far. The trial "
          "everyone quotes is here {cite} and it matched what I saw.",
          "dutasteride", "progress", cite="dut-vs-fin"),
    Topic(("Microneedling + minoxidil study - 1.5mm weekly",
           "The microneedling study everyone talks about (with link)"),
          "Since people keep asking where the 'microneedling quadruples minoxidil' claim "
          "comes from: {cite} Weekly 1.5mm dermaroller plus minox, 12 weeks. Small "
          "study but the difference is big. I needle Sundays and skip minox that night.",
          "microneedling", "research", cite="mn-minox"),
    Topic(("Dermastamp depth for beginners?",
           "How deep do you needle? 0.5 vs 1.0 vs 1.5"),
          "Just got a dermastamp and I'm scared to go 1.5mm right away. What depth did "
          "you start with and how often? I'm on minoxidil twice a day already.",
          "microneedling", "question", reply_cite="mn-minox"),
    Topic(("Nizoral 2x a week - worth it or placebo?",
           "Is keto shampoo actually doing anything?"),
          "Everyone says add ketoconazole as the third of the big 3 but the evidence "
          "looks thin to me. Here's the only study I found {cite} - thicker shafts, "
          "not more hairs. Not to be confused with the keto diet lol.",
          "ketoconazole", "research", cite="keto-shampoo"),
    Topic(("RU58841 - sourcing and safety, honest thoughts",
           "Anyone still on RU in 2025?"),
          "Been on RU58841 5% for 8 months on top of minoxidil. Hairline holding, no "
          "sides I can notice. I know it's research chemical territory and there's "
          "basically one tiny safety study ({cite}). What made you start or quit?",
          "ru58841", "question", cite="ru-topical"),
    Topic(("PRP - 3 sessions in, underwhelmed",
           "Is PRP a scam? 3 sessions and not much"),
          "Paid a lot for three PRP sessions at a clinic. Maybe a tiny bit of density "
          "at month 3 but honestly could be lighting. Clinic wants maintenance every "
          "6 months. The half-head study {cite} says gains fade, which tracks.",
          "prp", "question", cite="prp-half-head"),
    Topic(("Saw palmetto instead of finasteride?",
           "Natural alternative to fin - saw palmetto any good?"),
          "I'm 22 and scared of fin sides after reading horror stories. Is saw palmetto "
          "a real alternative? I read it works about half as well as finasteride.",
          "saw_palmetto", "question", reply_cite="saw-palmetto"),
    Topic(("Rosemary oil vs minoxidil study - read the fine print",
           "The rosemary oil study compared it to 2% minox, not 5%"),
          "Every influencer cites the rosemary oil paper. It compared rosemary oil with "
          "2% minoxidil, not 5%, and nothing happened at 3 months. Link: {cite} Still, "
          "my final take: fine as an add-on, not a replacement.",
          "rosemary_oil", "research", cite="rosemary"),
    Topic(("Laser cap - 6 months with the iRestore",
           "Red light therapy cap: my honest review"),
          "Used a 650nm laser cap every other day for 6 months alongside finasteride. "
          "Hard to separate the effect, maybe a little thicker. The sham-controlled "
          "trial {cite} found a modest gain, which is about what I'd say.",
          "lllt", "progress", cite="lllt-cap"),
    Topic(("FUE at 28 - should I be on fin first?",
           "Hair transplant without finasteride, bad idea?"),
          "Booked an FUE for 2500 grafts next spring. Surgeon insists I start "
          "finasteride 6 months before. Is that a sales thing or real? Found this: "
          "{cite}",
          "hair_transplant", "question", cite="fue-fin"),
    Topic(("Topical finasteride spray - fewer sides?",
           "Topical fin instead of the pill, experiences?"),
          "Got brain fog on oral fin (maybe nocebo, who knows). Thinking about topical "
          "finasteride spray. This trial says scalp results are similar with much lower "
          "blood levels: {cite}",
          "finasteride", "question", cite="topical-fin"),
    Topic(("Fin for 8 years, AMA", "8 years on Propecia, ask me anything"),
          "Started Propecia at 24, now 32. Kept basically everything I had, lost a little "
          "at the temples. No sides. There's a long-term follow-up paper ({cite}) that "
          "matches my experience: best in year 2, slow drift after.",
          "finasteride", "general", cite="fin-8y"),
    Topic(("Minoxidil shed - how long did yours last?",
           "Week 6 on minox and shedding like a dog"),
          "Started 5% liquid minoxidil six weeks ago and I'm losing more hair than ever. "
          "I know the shed is supposed to be a good sign but it's freaking me out.",
          "minoxidil", "question"),
    Topic(("Heart palpitations on oral min?",
           "LDOM 5mg and my resting heart rate went up"),
          "Went from 2.5 to 5mg oral minoxidil and my resting HR went from 60 to 72. "
          "Ankles a bit puffy at night. Anyone else? Dropping back to 2.5 for now.",
          "minoxidil", "sides"),
    Topic(("Current stack, roast it", "My routine after 2 years of trial and error"),
          "Fin 1mg daily, oral min 2.5mg, dermapen 1.5mm weekly, Nizoral twice a week, "
          "rosemary oil on weekends because my mum bought it. Crown is good, temples "
          "slowly receding. What would you change?",
          "general", "routine"),
    Topic(("Dut mesotherapy - anyone tried it?",
           "Dutasteride injections in the scalp, worth it?"),
          "My clinic offers dutasteride mesotherapy every 3 months. Supposedly fewer "
          "sides than oral dutasteride. Feels expensive for what it is.",
          "dutasteride", "question"),
    Topic(("Sides on finasteride - how I handled it",
           "Finasteride side effects went away after a month"),
          "Had lower libido weeks 2-5 on finasteride, then it normalised. Not saying "
          "that's everyone, but quitting at week 3 would have been a mistake for me.",
          "finasteride", "sides"),
    Topic(("Women's hair loss: spiro or oral min?",
           "Female pattern loss, derm offered spironolactone"),
          "31F, widening part. Derm offered spironolactone or oral minoxidil. My "
          "ferritin was 18 so she also wants iron supplements first. Experiences?",
          "minoxidil", "question"),
    Topic(("Finally booked my hair transplant",
           "FUT vs FUE, booked a consult"),
          "After 4 years of fin and minox I'm NW3 stable, so finally booking a hair "
          "transplant. FUE for the hairline. Scared of the shock loss bit.",
          "hair_transplant", "general"),
    Topic(("PRP + microneedling combo?", "Clinic pushing PRP with microneedling"),
          "They want to do PRP and then needle it in. Anyone done the combo and seen "
          "more than with either alone?",
          "prp", "question"),
    Topic(("Ketoconazole cream vs shampoo",
           "Nizoral shampoo dries my hair out, alternatives?"),
          "Nizoral 2% makes my hair straw-like. Is a keto cream on the scalp a thing? "
          "Or just use it once a week and condition after?",
          "ketoconazole", "question"),
    Topic(("Pumpkin seed oil / saw palmetto gummies - waste?",
           "Hair gummies with saw palmetto: marketing?"),
          "Those hair vitamins with saw palmetto and biotin are everywhere. Is there any "
          "point if I'm already on finasteride?",
          "saw_palmetto", "question"),
    Topic(("2 years of the big 3 - pics", "Big 3 for 24 months, honest results"),
          "Finasteride, minoxidil and ketoconazole for two years. Crown went from "
          "see-through to normal. Hairline the same. Tried a flat iron on my hair "
          "for the pics and it looks thinner, lesson learned.",
          "general", "progress"),
    Topic(("Is 1mm microneedling enough?",
           "Needling at 1mm every 10 days, any point?"),
          "1.5mm hurts too much for me. Is 1mm still useful or should I suck it up?",
          "microneedling", "question"),
    Topic(("Red light therapy panel vs cap",
           "LLLT: panels from amazon vs proper laser caps"),
          "Is a cheap red light panel the same as a Capillus-style laser cap? The "
          "wavelengths look similar on paper.",
          "lllt", "question"),
    Topic(("RU58841 shed?", "Shedding 3 weeks after starting RU"),
          "Started RU58841 in ethanol 3 weeks ago, now shedding. Never heard of a shed "
          "with RU, only minoxidil. Keep going?",
          "ru58841", "sides"),
    Topic(("Dutasteride and blood donation", "Can't donate blood on dut - how long?"),
          "Just found out you have to wait 6 months after the last dutasteride dose to "
          "donate blood. Fin is only a month. Something to know before switching.",
          "dutasteride", "general"),
    Topic(("Rosemary oil made my scalp itch",
           "Rosemary oil irritation - diluting it?"),
          "Put rosemary oil straight on my scalp. Big mistake, red and itchy for two "
          "days. Mix it with a carrier oil people.",
          "rosemary_oil", "sides"),
    Topic(("Topical fin + minox compounded solution",
           "Compounded fin/minox mix, how's it going?"),
          "Got a compounded solution, 0.1% topical finasteride in 5% minoxidil. "
          "Three months, no sides so far. Anyone had long-term luck with it?",
          "finasteride", "routine"),
    Topic(("Hair transplant 12 month update - 3000 grafts",
           "FUE 3000 grafts, 12 months post op"),
          "Twelve months after a 3000 graft FUE. Hairline is in and density is decent. "
          "Stayed on finasteride throughout, and my surgeon showed me {cite} as the "
          "reason.",
          "hair_transplant", "progress", cite="fue-fin"),
    Topic(("Minoxidil foam vs liquid", "Foam or liquid minoxidil, which one?"),
          "Liquid gives me flakes (propylene glycol I guess). Is the foam as good? It's "
          "twice the price here.",
          "minoxidil", "question"),
    Topic(("New study on laser caps", "Sham-controlled LLLT trial posted"),
          "New sham-controlled trial on home laser caps: {cite} Modest effect, but it's "
          "better designed than the usual manufacturer studies.",
          "lllt", "research", cite="lllt-cap"),
    Topic(("Keto shampoo + zinc pyrithione alternating",
           "Nizoral and Head & Shoulders on alternate days?"),
          "Alternating Nizoral and H&S for dandruff and hopefully hair. Any reason not "
          "to? No keto diet jokes please.",
          "ketoconazole", "routine"),
    Topic(("Finasteride long term study link?",
           "Looking for the long-term finasteride data"),
          "My GP asked if there's long-term data on finasteride for hair. Anyone have "
          "the 8-year follow-up handy? PMID would be perfect.",
          "finasteride", "research", reply_cite="fin-8y"),
    Topic(("PRP worked for me (female, 40)", "PRP results after 6 sessions"),
          "Did 6 PRP sessions over a year for thinning after pregnancy. Ponytail is "
          "noticeably thicker. Also on iron since ferritin was low, so who knows.",
          "prp", "progress"),
    Topic(("Should I add dutasteride or just up the minox?",
           "Next step: dut or higher dose oral min?"),
          "Fin + 2.5mg LDOM for 18 months, slow loss at the temples. Next step dut or "
          "5mg minoxidil? The dut vs fin trial {cite} makes dut look tempting.",
          "dutasteride", "question", cite="dut-vs-fin"),
    Topic(("Saw palmetto + pumpkin seed oil 1 year",
           "One year natural stack, no fin"),
          "Went natural: saw palmetto 320mg and pumpkin seed oil. Slowed the loss I "
          "think, but my brother on finasteride did better. Study for reference: {cite}",
          "saw_palmetto", "progress", cite="saw-palmetto"),
    Topic(("Best time to apply minoxidil?", "Minox morning or night? Wet hair?"),
          "Do you apply minoxidil on dry scalp only? I shower in the morning and it "
          "takes forever to dry before work.",
          "minoxidil", "question"),
    Topic(("Microneedling made my shed worse?", "Dermaroller shed at week 4"),
          "Week 4 of weekly dermaroller sessions and more hair in the drain. Normal?",
          "microneedling", "sides"),
    Topic(("Hairline lowering vs hair transplant",
           "FUE or surgical hairline lowering for a high forehead?"),
          "Not balding, just a high hairline. Is an HT or hairline lowering better? "
          "Surgeons give opposite answers.",
          "hair_transplant", "question"),
    Topic(("Topical fin systemic absorption numbers?",
           "How much topical finasteride reaches the blood?"),
          "People say topical fin is 'local only' but I doubt it. Anyone have numbers? "
          "Found this trial: {cite}",
          "finasteride", "research", cite="topical-fin"),
    Topic(("RU vs fin for someone who had sides",
           "Had sides on finasteride, is RU58841 the answer?"),
          "Quit fin due to sides two years ago and lost ground. Looking at RU58841 but "
          "the lack of data scares me.",
          "ru58841", "question"),
    Topic(("Scalp massage and rosemary oil routine",
           "Evening routine: massage + rosemary oil"),
          "Five minutes of scalp massage with rosemary oil every night. Relaxing, "
          "probably doing little, but I like it. On minoxidil too.",
          "rosemary_oil", "routine"),
    Topic(("Ketoconazole for seb derm and hair loss at once",
           "Nizoral cleared my seb derm, hair looks better"),
          "Started ketoconazole shampoo for seborrheic dermatitis and my shedding "
          "dropped too. Inflammation maybe? The ketoconazole study is here {cite}",
          "ketoconazole", "progress", cite="keto-shampoo"),
    Topic(("Laser comb worth it?", "HairMax laser comb, anyone still using one?"),
          "Found an old HairMax laser comb at my dad's. Worth using a few times a week "
          "or is it useless?",
          "lllt", "question"),
    Topic(("Oral minoxidil study with the numbers",
           "Oral vs topical minoxidil paper, summary inside"),
          "Summary of the oral vs topical minoxidil trial: similar regrowth at 24 "
          "weeks, more body hair on tablets. Full text: {cite}",
          "minoxidil", "research", cite="oral-minox"),
]
