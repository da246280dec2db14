"""``motcua verify FILE.pdf`` (docs/commands.md): each signature's verdict, one line each; exit 0 when
the file is signed and every signature is intact and trusted, 1 otherwise (a bad file: one
line on stderr, exit 1)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.errors import DomainError
from motcua.signing.verify import _iso, verify_pdf


def yes(value: bool) -> str:
    return "có / yes" if value else "không / no"


class Command(BaseCommand):
    help = "Verify the digital signatures of a PDF (exit 0: signed, every signature intact and trusted)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to verify")
        parser.add_argument("--offline", action="store_true", help="do not ask OCSP/CRL servers now (embedded information only)")

    def handle(self, *args, file, offline=False, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > settings.UPLOAD_MAX_BYTES * 10:
                raise CommandError(f"Tệp quá lớn / file too large: {size} bytes")
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp / cannot read {file}: {error.strerror}") from None
        try:
            result = verify_pdf(data, check_now=not offline)
        except DomainError as error:
            raise CommandError(error.message) from None
        out = self.stdout
        out.write(f"{path.name}: SHA-256 {result.sha256}")
        if not result.signed:
            out.write("Không có chữ ký số / not signed")
        for n, sig in enumerate(result.signatures, 1):
            verdict = "HỢP LỆ / VALID" if sig.ok else "KHÔNG HỢP LỆ / NOT VALID"
            out.write(f"#{n} {verdict}: {sig.signer} — {_iso(sig.signed_at) or '?'}; "
                      f"nguyên vẹn / intact: {yes(sig.intact)}; tin cậy / trusted: {yes(sig.trusted)}; "
                      f"thu hồi / revoked: {yes(sig.revoked)}; dấu thời gian / timestamped: {yes(sig.timestamped)}"
                      + (f" — {sig.problem}" if sig.problem else ""))
        if result.issued:
            i = result.issued
            out.write(f"Motcua đã cấp đúng tệp này / issued by Motcua: {i.code}, {i.unit}, {i.title}, {_iso(i.issued_at) or ''}")
        else:
            out.write("Không có trong sổ kết quả đã cấp của Motcua / not in Motcua's register")
        if not result.all_good:
            sys.exit(1)
