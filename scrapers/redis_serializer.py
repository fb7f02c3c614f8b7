"""JSON serializer for requests queued in Redis (replaces scrapy-redis' default pickle).

A shared queue is written by several machines; unpickling whatever sits in it would let
anyone with write access to Redis run code on every worker. Requests are plain data
(`Request.to_dict()`), so JSON with three tagged types is enough: bytes (headers, body),
datetimes, and dataclasses defined in hairlink's own `scrapers` package (the forum spiders
pass a `ListEntry` and a partly assembled `ThreadItem` in `cb_kwargs`). Anything else is
refused at push time with a clear error instead of being silently mangled. Only Scrapy's own
request classes may be named in `_class`, only `scrapers.*` dataclasses in `__dc__`.

scrapy-redis loads a serializer by module path (`SCHEDULER_SERIALIZER`): this module
provides the `dumps` / `loads` pair it expects.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from datetime import datetime
from typing import Any

_ALLOWED_CLASS_PREFIX = "scrapy.http."
_DATACLASS_PACKAGE = "scrapers."


class UnserializableRequest(TypeError):
    """A request carries a value that cannot travel through the shared queue."""


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"__dt__": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if not cls.__module__.startswith(_DATACLASS_PACKAGE):
            raise UnserializableRequest(f"cannot queue a {cls.__qualname__}: only dataclasses "
                                        f"of the scrapers package travel through Redis")
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__dc__": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(value, dict):
        return {_key(key): _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise UnserializableRequest(
        f"cannot queue a request carrying a {type(value).__name__} ({value!r:.80}); "
        "keep request meta to JSON-like values, bytes and datetimes")


def _key(key: Any) -> str:
    # Header names arrive as bytes; they are ASCII tokens, and Headers() accepts str keys.
    return key.decode("latin-1") if isinstance(key, bytes) else str(key)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "__b64__" in value:
            return base64.b64decode(value["__b64__"])
        if len(value) == 1 and "__dt__" in value:
            return datetime.fromisoformat(value["__dt__"])
        if set(value) == {"__dc__", "fields"}:
            return _dataclass(str(value["__dc__"]), _decode(value["fields"]))
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _dataclass(name: str, fields: dict[str, Any]) -> Any:
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(_DATACLASS_PACKAGE) or not qualname.isidentifier():
        raise ValueError(f"refusing to build {name!r} from the queue")
    cls = getattr(importlib.import_module(module_name), qualname, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"{name!r} is not a dataclass")
    return cls(**fields)


def dumps(obj: dict[str, Any]) -> bytes:
    """Encode a `Request.to_dict()` result."""
    return json.dumps(_encode(obj), separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """Decode what `dumps` wrote; refuse request classes outside `scrapy.http`."""
    obj = _decode(json.loads(data))
    if not isinstance(obj, dict) or "url" not in obj:
        raise ValueError("not a queued request")
    request_class = obj.get("_class")
    if request_class is not None and not str(request_class).startswith(_ALLOWED_CLASS_PREFIX):
        raise ValueError(f"refusing request class {request_class!r} from the queue")
    return obj
