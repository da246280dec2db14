"""``motcua national …`` (CONTRACT §1).

``motcua national sync [--dossier CODE]`` sends what the national outbox holds now — items
waiting for their retry time included, parked ones not — (or that one dossier, queued afresh)
and exits: 0 when all was acknowledged, 1 listing each dossier the national portal refused or
that could not be sent (kept for retry). ``motcua worker`` does the same continuously.

Other subcommands (``catalog pull``) add a parser in :meth:`Command.add_arguments` and a
``handle_<name>`` method.
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

    def handle(self, *args, **options):
        return getattr(self, f"handle_{options['command'].replace('-', '_')}")(**options)

    def handle_sync(self, dossier=None, **options):
        from motcua.national.contrib.dvcqg.sync import drain

        if not outbox.connected():
            raise CommandError("Chưa kết nối Cổng Dịch vụ công quốc gia (MOTCUA_DVCQG_URL …) / the national portal is not configured")
        item_ids = None
        if dossier:
            found = Dossier.objects.filter(code=dossier).values_list("pk", "version").first()
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
