"""One way to read a feature's settings: a frozen dataclass of defaults and :func:`read`.

Each feature declares its settings once::

    @dataclass(frozen=True)
    class ShareSettings:
        networks: tuple[str, ...] = setting(DEFAULT_NETWORKS, check=known_networks)
        call_to_action: str = ""

and reads them with ``read(ShareSettings, settings, "SHARE_")``: field ``networks`` is the
setting ``SHARE_NETWORKS``. A value of the wrong type, or one that the field's ``check`` refuses,
becomes a :class:`~.problems.Problem` that names the settings file and the setting and says which
value is used instead (the default, or what ``check`` could keep), so every wrong setting is
reported the same way and a development build still completes.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Any

from .problems import Problem


class SettingError(ValueError):
    """A value a ``check`` refuses: what is wrong, the fix, and optionally what to use instead."""

    _DEFAULT = object()

    def __init__(self, message: str, fix: str, instead: Any = _DEFAULT):
        super().__init__(message)
        self.message, self.fix, self.instead = message, fix, instead


def setting(default: Any, *, check: Callable[[Any], Any] | None = None, fix: str = ""):
    """A settings field: its default, an optional ``check(value) -> value`` that may normalise
    the value or raise :class:`SettingError`, and the fix shown for a value of the wrong type."""
    metadata = {"check": check, "fix": fix}
    if isinstance(default, list | dict | set):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def shown(value: object, limit: int = 60) -> str:
    """The value as the author wrote it (its repr), shortened for one report line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _used(value: object, default: object) -> str:
    """What the build uses instead of a wrong value, for the end of a report line."""
    short = len(repr(value)) <= 40
    if value == default:
        return f"the default {value!r} is used" if short else "the default is used"
    return f"{value!r} is used" if short else "the rest is used"


def _kind(annotation: Any) -> tuple[type | tuple[type, ...], str, Callable[[Any], Any]]:
    """(accepted types, a name for the message, a converter to the field's type)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):  # e.g. `float | None`
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        accepted, name, convert = _kind(options[0])
        return accepted, name, lambda v: None if v is None else convert(v)
    if annotation is bool:
        return bool, "True or False", bool
    if annotation is int:
        return int, "a whole number", int
    if annotation is float:
        return (int, float), "a number", float
    if annotation is str:
        return str, "text", str
    if origin is tuple or annotation is tuple:
        return (list, tuple), "a list", tuple
    if origin is list or annotation is list:
        return (list, tuple), "a list", list
    if origin is dict or annotation is dict:
        return dict, "a dict", dict
    return object, "a value", lambda v: v


def read(cls: type, settings: dict, prefix: str, source: str = "settings") -> tuple[Any, list]:
    """The settings of ``cls`` from Pelican's ``settings`` and the problems found in them."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    hints = typing.get_type_hints(cls)
    for spec in dataclasses.fields(cls):
        name = prefix + spec.name.upper()
        if name not in settings:
            continue
        value = settings[name]
        default = (
            spec.default_factory()
            if spec.default_factory is not dataclasses.MISSING
            else spec.default
        )
        accepted, kind, convert = _kind(hints[spec.name])
        optional = typing.get_origin(hints[spec.name]) in (typing.Union, types.UnionType)
        if value is None and not optional:
            continue  # "not set": the default
        wrong_type = value is not None and (
            not isinstance(value, accepted) or (isinstance(value, bool) and accepted is not bool)
        )
        if wrong_type:
            fix = spec.metadata.get("fix") or f"write {name} as {kind}, or remove it"
            problems.append(
                Problem(
                    source,
                    name,
                    f"{shown(value)} is not {kind}; the default {shown(default)} is used",
                    fix,
                )
            )
            continue
        value = convert(value)
        check = spec.metadata.get("check")
        if check is not None:
            try:
                value = check(value)
            except SettingError as error:
                instead = default if error.instead is SettingError._DEFAULT else error.instead
                problems.append(
                    Problem(source, name, f"{error.message}; {_used(instead, default)}", error.fix)
                )
                value = instead
        values[spec.name] = value
    return cls(**values), problems
