"""Plain option values without pydantic. Typer (>= 0.2x) coerces every parameter through a
pydantic TypeAdapter built on first use: importing pydantic and building the adapters costs
~90 ms CPU, a fifth of a light command's start-up. A `str`, a `bool`, an `int` (within its
min/max) or a `list[str]` is taken as is here; any other annotation, and any value not plainly valid
(`--limit x`, `--limit -1`), goes to Typer's own coercion, so its error messages stay.
Either way an integer beyond 64 bits (`--limit 99999999999999999999`) is a bad value, not
an OverflowError from the database, and so is a float that is `inf` or `nan` (`--delay
inf`). Typer's coercion classes are private: if they move, Typer's default is kept."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from models.bounds import MAX_BIGINT

try:
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - another Typer: keep its own coercion
    RuntimeParam = None  # type: ignore[assignment,misc]

_INTEGER = re.compile(r"[+-]?[0-9]+")
_UNSURE = object()  # the value is left to Typer's coercion


def _plain_int(value: Any, info: Any) -> Any:
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        value = int(value)
    if type(value) is not int or info.clamp:
        return _UNSURE
    if (info.min is not None and value < info.min) or (info.max is not None and
                                                       value > info.max):
        return _UNSURE
    return value


def plain_value(annotation: Any, info: Any, value: Any) -> Any:
    """`value` coerced to a str, bool, int or list[str] annotation, or _UNSURE."""
    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return _UNSURE
    if annotation is str:
        return value if isinstance(value, str) else _UNSURE
    if annotation is bool:
        return value if isinstance(value, bool) else _UNSURE
    if annotation is int:
        return _plain_int(value, info)
    if get_origin(annotation) is list and get_args(annotation) == (str,) and \
            isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return _UNSURE


if RuntimeParam is not None:
    @dataclass(frozen=True)
    class PlainParam(RuntimeParam):  # type: ignore[misc,valid-type]
        """A parameter's coercion: plain values here, the rest through Typer's."""

        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = plain_value(self.annotation, self.parameter_info, value)
            if plain is _UNSURE:
                typer_own = build_runtime_param(self.descriptor)
                plain = typer_own._coerce_value(value, param=param, ctx=ctx)
            if type(plain) is int and abs(plain) > MAX_BIGINT:
                raise BadParameter(f"{value} is out of range (at most {MAX_BIGINT} either way)",
                                   ctx=ctx, param=param)
            if type(plain) is float and not math.isfinite(plain):
                raise BadParameter(f"{value} is not a finite number", ctx=ctx, param=param)
            return plain


def _runtime_param(param: Any) -> Any:
    """`_TyperParameter.get_runtime_param` with plain values first."""
    if param._runtime_param is None:
        descriptor = param.type_descriptor
        param._runtime_param = (
            build_runtime_param(descriptor) if descriptor.file_annotation is not None else
            PlainParam(parameter_info=descriptor.parameter_info,
                       annotation=descriptor.annotation, descriptor=descriptor))
    return param._runtime_param


def use_plain_values() -> None:
    """Coerce plain values of every Typer parameter without pydantic (declared options,
    and the `--help` and completion options Typer adds when it parses)."""
    if RuntimeParam is not None and hasattr(_TyperParameter, "get_runtime_param"):
        _TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]
