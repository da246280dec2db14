"""Accounts' phones in their one spelling (issue 22 §3): ``+84912345678`` → ``0912345678``, as
``dossiers.validation.canonical_phone`` writes them (every form and the sign-up already did;
this catches a row written another way). A number another account already holds in that
spelling is left as it is: a phone is one account, and which one keeps it is a person's call."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(phone__startswith="+84").only("pk", "phone"):
        canonical = "0" + user.phone[3:]
        if not User.objects.filter(phone=canonical).exists():
            User.objects.filter(pk=user.pk).update(phone=canonical)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_national_portal_role")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
