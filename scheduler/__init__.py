"""The APScheduler service: what runs when; crawls run as `scrapers.run` subprocesses.

`scheduler` imports `models` and `aggregator` only; it reaches the spiders by running
`python -m scrapers.run SOURCE --run-id N` in a child process (Scrapy's reactor cannot be
restarted inside a long-lived process).
"""
