"""Pure page parsers, one module per forum engine: functions of a response's text/JSON.

Each returns plain data (`ListPage`, `ThreadPage`) or raises `ParseError` when the page is
not what it should be; the spiders turn them into items and requests.
"""
