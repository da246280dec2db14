from django.db import migrations


def load(apps, schema_editor):
    from motcua.worktime.official import load_official_days

    load_official_days(apps.get_model("worktime", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
