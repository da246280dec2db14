"""16/2/2026 is 29 tháng Chạp (giao thừa), not 28: fix the label where nobody edited it."""

import datetime as dt

from django.db import migrations

OLD = "Tết Nguyên đán Bính Ngọ (28 tháng Chạp)"
NEW = "Tết Nguyên đán Bính Ngọ (29 tháng Chạp, giao thừa)"


def forwards(apps, schema_editor):
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarDay.objects.filter(calendar=None, date=dt.date(2026, 2, 16), name=OLD).update(name=NEW)


def backwards(apps, schema_editor):
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarDay.objects.filter(calendar=None, date=dt.date(2026, 2, 16), name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0003_working_hours_from_a_date")]
    operations = [migrations.RunPython(forwards, backwards)]
