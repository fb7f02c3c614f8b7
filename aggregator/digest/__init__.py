"""Per-study digests: the study and its related community threads, in md, html, json, csv
and Atom, with a chart per study. Built from `models.digest_queries`."""

from aggregator.digest.export import FORMATS, ExportReport, export_all, export_digests

__all__ = ["FORMATS", "ExportReport", "export_all", "export_digests"]
