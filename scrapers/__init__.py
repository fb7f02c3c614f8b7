"""The Scrapy project: spiders per forum engine and study source, pipelines, settings."""
