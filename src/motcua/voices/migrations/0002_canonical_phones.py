"""Askers' phones in their one spelling (issue 22 §3): ``+84912345678`` → ``0912345678``, as
``dossiers.validation.canonical_phone`` writes them (a question asked from a dossier copied
the dossier's phone as it was typed)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr


def forwards(apps, schema_editor):
    Question = apps.get_model("voices", "Question")
    Question.objects.filter(contact_phone__startswith="+84").update(
        contact_phone=Concat(Value("0"), Substr("contact_phone", 4)))


class Migration(migrations.Migration):
    dependencies = [("voices", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
