"""``motcua create-user USERNAME --role ROLE --unit UNIT_CODE [--password-stdin] [--print-token]``.

Exit 0 on success; on a user error exit 1 with one line on stderr, never a traceback
(docs/commands.md). With ``--print-token`` the last line printed is a fresh API token.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.accounts.models import ApiToken, Membership, Role, User
from motcua.catalog.models import Unit

# national_portal: the province is its unit (the dossiers it forwards go to units below it).
UNIT_ROLES = {Role.COUNTER, Role.SPECIALIST, Role.LEADER, Role.INSPECTOR, Role.NATIONAL_PORTAL}


def _one_line_error(parser):
    """Argument errors: one line and exit 1 (argparse prints usage and exits 2)."""

    def error(message):
        if not getattr(parser, "called_from_command_line", False):
            raise CommandError(f"Tham số không hợp lệ / invalid arguments: {message}")
        sys.stderr.write(f"Lỗi / error: tham số không hợp lệ / invalid arguments: {message}\n")
        sys.exit(1)

    return error


class Command(BaseCommand):
    help = "Create (or update) a user with a role and a unit; optionally print an API token."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _one_line_error(parser)
        return parser

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help="unit code (required for staff roles)")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        parser.add_argument("--print-token", action="store_true", help="print an API token as the last line")

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username or len(username) > 150 or any(c.isspace() for c in username):
            raise CommandError("Tên đăng nhập không hợp lệ / invalid username")
        role = options["role"]
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị “{options['unit']}” / unknown unit")
        elif role in UNIT_ROLES:
            raise CommandError("Cán bộ cần --unit / staff roles need --unit")
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if len(password) < 8:
                raise CommandError("Mật khẩu cần ít nhất 8 ký tự / password needs at least 8 characters")
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"role": role})
            user.role = role
            if options["full_name"]:
                user.full_name = options["full_name"]
            user.is_staff = user.is_superuser = role == Role.ADMIN
            if password is not None:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            if unit is not None:
                Membership.objects.get_or_create(user=user, unit=unit)
        self.stdout.write(f"{'Đã tạo' if created else 'Đã cập nhật'} người dùng {username} ({role}).")
        if options["print_token"]:
            _, raw = ApiToken.issue(user, name="cli")
            self.stdout.write(raw)
