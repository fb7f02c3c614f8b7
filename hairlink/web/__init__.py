"""The local web view of `hairlink serve`: Starlette pages and a JSON API over the
database, read-only, a thin shell over the query functions of `models`."""

from hairlink.web.app import create_app

__all__ = ["create_app"]
