"""``motcua national …`` (docs/commands.md).

``motcua national sync [--dossier CODE]`` sends what the national outbox holds now — items
waiting for their retry time included, parked ones not — (or that one dossier, queued afresh)
and exits: 0 when all was acknowledged, 1 listing each dossier the national portal refused or
that could not be sent (kept for retry). ``motcua worker`` does the same continuously.

``motcua national catalog pull [--dry-run]`` reads the national procedure database and prints
what is new, changed (each field before → after; "phiên bản mới" when the earlier version is
kept for its dossiers) and withdrawn; without ``--dry-run`` applies it
(``national/contrib/dvcqg/catalog_pull.py``). A malformed or error answer changes nothing: the
command says what was wrong and exits 1.

``motcua national vnpost-areas [FILE]`` loads VNPost's provinces and districts (format
``vnpost-areas/1``; the bundled demo list by default), checked whole first.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.national import outbox
from motcua.national.constants import OPEN_STATES, OutboxKind
from motcua.national.models import OutboxItem
from motcua.national.tasks import worker_name


def _one_line_error(parser):
    def error(message):
        sys.stderr.write(f"Lỗi / error: tham số không hợp lệ / invalid arguments: {message}\n")
        sys.exit(1)
    return error


class Command(BaseCommand):
    help = "National connections: `sync` sends the national outbox now."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _one_line_error(parser)
        return parser

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        sync = commands.add_parser("sync", help="send the national outbox now (or one dossier)")
        sync.add_argument("--dossier", help="only this dossier (its code), queued afresh")
        sync.error = _one_line_error(sync)
        catalog = commands.add_parser("catalog", help="the catalog from the national procedure database")
        catalog.error = _one_line_error(catalog)
        catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
        pull = catalog_commands.add_parser("pull", help="read the national procedure database, print the diff, apply it")
        pull.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
        pull.error = _one_line_error(pull)
        areas = commands.add_parser("vnpost-areas", help="load VNPost's provinces and districts (vnpost-areas/1 JSON)")
        areas.add_argument("file", nargs="?", help="the file (default: the bundled demo list)")
        areas.error = _one_line_error(areas)

    def handle(self, *args, **options):
        return getattr(self, f"handle_{options['command'].replace('-', '_')}")(**options)

    def handle_catalog(self, dry_run=False, **options):
        from motcua.national.contrib.dvcqg.catalog_pull import pull

        if not outbox.connected():
            raise CommandError("Chưa kết nối Cổng Dịch vụ công quốc gia (MOTCUA_DVCQG_URL …) / the national portal is not configured")
        record, _ = pull(dry_run=dry_run)
        if record.problem:
            self.stderr.write(f"Không lấy được danh mục, không thay đổi gì / catalog pull failed, nothing changed: {record.problem}")
            sys.exit(1)
        for line in diff_lines(record.diff):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Chạy thử: chưa áp dụng / dry run: nothing changed")
        else:
            self.stdout.write("Đã áp dụng / applied")

    def handle_vnpost_areas(self, file=None, **options):
        from motcua.national.contrib.vnpost.areas import load

        try:
            count = load(file)
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.fields or {}).items())
            raise CommandError(f"{exc.message} {details}".strip()) from None
        self.stdout.write(f"Đã nạp {count} tỉnh, huyện / loaded {count} areas")

    def handle_sync(self, dossier=None, **options):
        from motcua.national.contrib.dvcqg.sync import drain

        if not outbox.connected():
            raise CommandError("Chưa kết nối Cổng Dịch vụ công quốc gia (MOTCUA_DVCQG_URL …) / the national portal is not configured")
        item_ids = None
        if dossier:
            found = Dossier.objects.filter(code=dossier).values_list("pk", "last_event_seq").first()
            if found is None:
                raise CommandError(f"Không có hồ sơ “{dossier}” / unknown dossier")
            with transaction.atomic():
                outbox.put(OutboxKind.DOSSIER, dossier_id=found[0], version=found[1])
            item_ids = list(OutboxItem.objects.filter(kind=OutboxKind.DOSSIER, dossier_id=found[0], state__in=OPEN_STATES)
                            .values_list("pk", flat=True))
        outbox.resume()
        # What the outbox holds now (new changes during the run are the worker's).
        todo = item_ids if item_ids is not None else list(
            OutboxItem.objects.filter(state__in=OPEN_STATES).order_by("id").values_list("pk", flat=True))
        sent, failed, stopped = 0, [], ""
        while todo:
            try:
                result = drain(worker_name(), limit=settings.DVCQG_BATCH_SIZE, waiting_too=True, item_ids=todo)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            sent += len(result.sent)
            failed += result.failed
            tried = set(result.sent) | {item.pk for item, _ in result.failed}
            if result.stopped:
                stopped = result.stopped
                break
            if not tried:  # the rest is being sent by a worker right now
                break
            todo = [pk for pk in todo if pk not in tried]
        self.stdout.write(f"Đã gửi {sent} / sent {sent}")
        if not failed and not stopped:
            return
        for item, state in failed:
            what = item.dossier.code if item.dossier_id else f"{item.kind} {item.key}"
            answer = OutboxItem.objects.filter(pk=item.pk).values_list("answer", flat=True).first() or ""
            self.stderr.write(f"{what}: {state}: {answer}")
        if stopped:
            left = OutboxItem.objects.filter(state__in=OPEN_STATES).count()
            self.stderr.write(f"Dừng: {stopped}; còn {left} mục chờ gửi lại / stopped: {stopped}; {left} kept for retry")
        sys.exit(1)


def diff_lines(diff: dict) -> list[str]:
    """The diff of a catalog pull as the command prints it."""
    lines = [f"Mới / new: {len(diff.get('new', []))}"]
    lines += [f"  + {item['code']} {item['name']}" for item in diff.get("new", [])]
    lines.append(f"Thay đổi / changed: {len(diff.get('changed', []))}")
    for item in diff.get("changed", []):
        version = " (phiên bản mới; phiên bản cũ giữ cho hồ sơ đã nhận / new version)" if item["new_version"] else ""
        lines.append(f"  ~ {item['code']} {item['name']}{version}")
        lines += [f"      {c['label']}: {c['before']} → {c['after']}" for c in item["changes"]]
    lines.append(f"Bãi bỏ / withdrawn: {len(diff.get('withdrawn', []))}")
    lines += [f"  - {item['code']} {item['name']}" for item in diff.get("withdrawn", [])]
    if diff.get("skipped"):
        lines.append(f"Không thuộc cấp tỉnh, huyện, xã (bỏ qua) / not performed locally: {diff['skipped']}")
    lines += [f"Lưu ý / warning: {w}" for w in diff.get("warnings", [])]
    lines += [f"Đơn vị / unit: {u}" for u in diff.get("units", [])]
    return lines
