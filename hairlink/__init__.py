"""hairlink's command-line front door. Every command is a thin call into the packages
`models`, `scrapers` (via subprocess), `aggregator` and `scheduler`."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hairlink")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
