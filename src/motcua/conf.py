"""One place that reads the environment: every setting with its name, default and help.

``docs/configuration.md`` lists the same table; ``motcua settings-doc`` prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

REGISTRY: dict[str, "Setting"] = {}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


def _to_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def config(name: str, default: Any = None, *, help: str, cast: Callable[[str], Any] | None = None) -> Any:
    """Read ``name`` from the environment, or return ``default``; record it for the docs."""
    REGISTRY[name] = Setting(name, default, help)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if cast is bool:
        return _to_bool(raw)
    if cast is not None:
        return cast(raw)
    return raw


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for s in REGISTRY.values():
        rows.append(f"| `{s.name}` | `{s.default!s}` | {s.help} |")
    return "\n".join(rows)
