"""One place that reads the environment: every setting with its name, default and help.

``settings.py`` declares each setting with :func:`config`; the rest of the code reads
``django.conf.settings``. ``docs/configuration.md`` documents exactly the variables recorded in
``REGISTRY`` (``tests/configuration`` checks both: the table, and that nothing else reads the
environment or ``getattr(settings, …)``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REGISTRY: dict[str, "Setting"] = {}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


# How a yes/no setting may be written; ``net.trusted_proxies`` reads its yes/no words from here too.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


def _to_bool(value: str) -> bool:
    return value.strip().lower() in TRUE_WORDS


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


SECRET_KEY_FILE = "secret_key"


def persistent_secret_key(data_dir: Path) -> str:
    """The installation's own secret key, kept in ``data_dir/secret_key`` (mode 0600).

    Made at random the first time (never a published default) and read back on every later
    start, so sessions, CSRF tokens and signed links survive a restart. Processes starting
    together agree: the key is written to a private temporary file and linked into place,
    which fails for all but the first; the others read the winner's key.
    """
    path = Path(data_dir) / SECRET_KEY_FILE
    key = _read_key(path)
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: use its key
    finally:
        tmp.unlink(missing_ok=True)
    key = _read_key(path)
    if not key:
        raise RuntimeError(f"{path} is empty: remove it or set MOTCUA_SECRET_KEY")
    return key


def _read_key(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
