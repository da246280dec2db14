import json

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.importexport import import_catalog
from motcua.errors import InvalidInput


class Command(BaseCommand):
    help = "Load a catalog JSON file (format motcua-catalog/1); nothing is written if any entry is bad."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Không đọc được tệp / cannot read file: {exc}")
        try:
            result = import_catalog(data)
        except InvalidInput as exc:
            for path, messages in exc.fields.items():
                self.stderr.write(f"{path}: {'; '.join(messages)}")
            raise CommandError(exc.message)
        self.stdout.write("Đã nạp {fields} lĩnh vực, {procedures} thủ tục, {commitments} cam kết.".format(**result))
