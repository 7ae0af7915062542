"""Command-line values without pydantic where no conversion is needed.

Typer converts every non-bool parameter through a pydantic TypeAdapter, and the first one imports pydantic:
60-90 ms on every command that has an option, even one left at its default (`tfprep quiz`, `tfprep grade`).
Here a parameter whose value is missing (None: nothing to convert) or already of its type (a default), a
`str` or a `Path` given as text, or an
`int` given as plain decimal digits gets the value pydantic would give (the same str, `Path(text)`,
`int(text)`) without loading it; anything else (other numbers, lists, constrained values, text that is not
a number, so its error message) still goes through Typer's own conversion, unchanged. Lists of str or Path
(repeated options, several arguments) are lists of those.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import core
from typer._coercion import RuntimeParam, build_runtime_param

_PLAIN = {str: str, Path: Path, int: int}
_DIGITS = re.compile(r"[+-]?[0-9]+")


class _Lazy(RuntimeParam):
    """Typer's runtime parameter, built only when a value really needs converting."""

    def __init__(self, param: core._TyperParameter):
        self.param, self.real = param, None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation = self.param.type_descriptor.annotation
        plain = _PLAIN.get(annotation)
        single = not (param.multiple or param.nargs == -1)
        if value is None:
            return None if single else ()
        item = _list_item(annotation)
        texts = isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        if not single and item is not None and texts:  # repeated options, or several arguments
            return [item(v) for v in value]
        if single and _unconstrained(self.param):
            if annotation in (*_PLAIN, float) and type(value) is annotation:  # a default, already converted
                return value
            if (
                plain is not None
                and isinstance(value, str)
                and (plain is not int or _DIGITS.fullmatch(value))
            ):
                return plain(value)
        if self.real is None:
            self.real = build_runtime_param(self.param.type_descriptor)
        return self.real.coerce(value, param=param, ctx=ctx)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:  # (abstract in RuntimeParam)
        return self.coerce(value, param, ctx)


def _list_item(annotation: Any) -> type | None:
    """str or Path for list[str] / list[Path], else None."""
    if (
        get_origin(annotation) is list
        and len(get_args(annotation)) == 1
        and get_args(annotation)[0] in (str, Path)
    ):
        return get_args(annotation)[0]
    return None


def _unconstrained(param: core._TyperParameter) -> bool:
    desc, info = param.type_descriptor, param.type_descriptor.parameter_info
    bounded = getattr(info, "min", None) is not None or getattr(info, "max", None) is not None
    return desc.file_annotation is None and not desc.is_choice and not bounded


def install() -> None:
    """Make every Typer parameter convert lazily (once per process)."""
    if getattr(core._TyperParameter, "_tfprep_lazy", False):
        return

    def get_runtime_param(self: core._TyperParameter) -> RuntimeParam:
        if self._runtime_param is None:
            self._runtime_param = _Lazy(self)
        return self._runtime_param

    core._TyperParameter.get_runtime_param = get_runtime_param
    core._TyperParameter._tfprep_lazy = True
