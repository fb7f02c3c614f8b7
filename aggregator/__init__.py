"""The aggregator: treatment lexicon and tagger, identifiers in text, thread<->study linker.

`aggregator.run.aggregate(...)` tags and links what changed since the last run; digests live
in `aggregator.digest`.
"""
