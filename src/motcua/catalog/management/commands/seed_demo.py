from django.core.management.base import BaseCommand

from motcua.catalog.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Idempotent demo data: units, official calendar, catalog, staff accounts (CONTRACT §6)."

    def add_arguments(self, parser):
        parser.add_argument("--no-staff", action="store_true", help="Do not create the demo staff accounts.")

    def handle(self, *args, **options):
        result = seed_demo(with_staff=not options["no_staff"])
        self.stdout.write(
            "Dữ liệu mẫu: {units} đơn vị mới, {procedures} thủ tục, {calendar_days} ngày lịch mới.".format(**result)
        )
        if not options["no_staff"]:
            self.stdout.write(f"Tài khoản mẫu (mật khẩu “{DEMO_PASSWORD}”): motcua.yt, chuyenvien.yt, lanhdao.yt, admin, congdan …")
