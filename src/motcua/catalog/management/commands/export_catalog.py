import json
import sys

from django.core.management.base import BaseCommand

from motcua.catalog.importexport import export_catalog


class Command(BaseCommand):
    help = "Write the whole catalog as JSON (format motcua-catalog/1) to stdout or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o")

    def handle(self, *args, **options):
        text = json.dumps(export_catalog(), ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text + "\n")
