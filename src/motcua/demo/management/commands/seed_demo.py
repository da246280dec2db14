from django.core.management.base import BaseCommand

from motcua.demo.catalog import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Idempotent demo data: units, official calendar, catalog, staff accounts (docs/commands.md#demo-data)."

    def add_arguments(self, parser):
        parser.add_argument("--no-staff", action="store_true", help="Do not create the demo staff accounts.")
        parser.add_argument("--history", action="store_true",
                            help="Also a year of invented dossiers for the communes (for the report pages), once.")

    def handle(self, *args, **options):
        result = seed_demo(with_staff=not options["no_staff"])
        self.stdout.write(
            "Dữ liệu mẫu: {units} đơn vị mới, {procedures} thủ tục, {calendar_days} ngày lịch mới.".format(**result)
        )
        if result.get("signers"):
            self.stdout.write(f"Ký số thử nghiệm (DEMO): mẫu in của {result['signers']} tỉnh mẫu được ký số.")
        # The demo's blank forms drawn now (the tests' demo fixture leaves them to the first download).
        from motcua.catalog.blankforms import make_missing

        drawn = make_missing()
        if drawn:
            self.stdout.write(f"Mẫu đơn, tờ khai trống: {drawn} mẫu mới.")
        if options["history"]:
            from motcua.demo.history import seed_history

            added = seed_history()
            self.stdout.write(f"Lịch sử mẫu: {added} hồ sơ mới trong 12 tháng qua." if added
                              else "Lịch sử mẫu đã có, không thêm gì.")
            if not options["no_staff"]:
                from motcua.demo.handled import seed_handled

                handled = seed_handled()
                if handled:
                    self.stdout.write(f"Hồ sơ mẫu do cán bộ xử lý (kiểm tra công vụ): {handled}.")
            # the citizens' voice on that history (issue 20): surveys, answered questions, feedback
            from motcua.demo.surveys import seed_surveys
            from motcua.demo.questions import seed_questions

            surveys, questions = seed_surveys(), seed_questions()
            if surveys or questions:
                self.stdout.write(f"Ý kiến mẫu: {surveys} phiếu khảo sát, {questions} câu hỏi, phản ánh.")
        if not options["no_staff"]:
            self.stdout.write(f"Tài khoản mẫu (mật khẩu “{DEMO_PASSWORD}”): motcua.yt, chuyenvien.yt, lanhdao.yt, admin, congdan …")
