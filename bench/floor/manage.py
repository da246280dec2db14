"""``python -m bench.floor.manage migrate --run-syncdb`` / ``seed TOKEN``: prepare the floor's database."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")

if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:2] == ["seed"]:
        from bench.floor.urls import seed

        seed(sys.argv[2])
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["floor", *sys.argv[1:]])
