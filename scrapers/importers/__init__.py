"""Importers: bring history in from files (e.g. Reddit monthly dumps) into the same tables
the spiders fill, through the same parsers, validation, author hashing and upsert layer."""
