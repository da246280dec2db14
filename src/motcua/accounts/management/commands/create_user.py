"""``motcua create-user USERNAME --role ROLE --unit UNIT_CODE [--password-stdin] [--print-token]``."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.accounts.models import ApiToken, Membership, Role, User
from motcua.catalog.models import Unit


class Command(BaseCommand):
    help = "Create (or update) a user with a role and a unit; optionally print an API token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help="unit code (required for staff roles)")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        parser.add_argument("--print-token", action="store_true", help="print an API token as the last line")

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username or len(username) > 150:
            raise CommandError("Tên đăng nhập không hợp lệ / invalid username")
        role = options["role"]
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị “{options['unit']}” / unknown unit")
        elif role not in (Role.CITIZEN, Role.ADMIN):
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
