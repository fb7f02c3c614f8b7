"""hairlink's command-line front door. Every command is a thin call into the packages
`models`, `scrapers` (via subprocess), `aggregator` and `scheduler`."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`hairlink.__version__`, read from the installed metadata on first use (importlib.metadata
    is not loaded by commands that never ask)."""
    if name != "__version__":
        raise AttributeError(f"module 'hairlink' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("hairlink")
    except PackageNotFoundError:  # running from a source tree without installing
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
