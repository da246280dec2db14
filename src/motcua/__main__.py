"""The ``motcua`` command line: every Django management command plus Motcua's own.

``motcua serve``, ``motcua seed-demo``, ``motcua create-user``, ``motcua import-dossiers``
and ``motcua report`` are management commands with dashed names (docs/commands.md).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "motcua"
    if len(argv) > 1:
        # docs/commands.md spells commands with dashes (seed-demo); Django modules use underscores.
        argv[1] = argv[1].replace("-", "_") if not argv[1].startswith("-") else argv[1]
    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # one line, never a traceback (docs/commands.md)
        if _debug():
            raise
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        print(f"Lỗi / error: {' '.join(str(message).split())}", file=sys.stderr)
        sys.exit(1)


def _debug() -> bool:
    """MOTCUA_DEBUG, read through the settings (motcua.conf); off when they cannot load."""
    from django.conf import settings

    try:
        return bool(settings.DEBUG)
    except Exception:
        return False


if __name__ == "__main__":
    main()
