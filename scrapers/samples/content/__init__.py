"""The hand-written content table the sample communities are generated from.

Every title, post and reply here was written for hairlink's demo; no text comes from a
real forum and no real person is represented. `{cite}` marks where the generator puts a
citation of the topic's study, in one of the ways people post them (doi.org link, PubMed
URL, `PMID: n`, PMC link, bare `doi:`), rendered as markdown or HTML per platform.

Modules: `topics` (Topic, TOPICS: the thread ideas every community shares), `topic_titles`
(EXTRA_TITLES: two more wordings of each topic's title), `replies` (REPLIES: reply lines per
theme) and `posters` (USERNAMES; OPENERS and CLOSERS: how people start and end posts on each
platform). The studies they cite are in `scrapers.samples.studies`.
"""
