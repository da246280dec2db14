"""Applicants' phones in their one spelling (issue 22 §3): ``+84912345678`` → ``0912345678``,
as ``dossiers.validation.canonical_phone`` writes them from now on. The SQL is frozen here
(no call into today's code); stored phones were already checked and cleaned of separators."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(applicant_phone__startswith="+84").update(
        applicant_phone=Concat(Value("0"), Substr("applicant_phone", 4)))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_national_record_databases")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
