"""The rows an intake must write: the officer's token (read), the unit (read), the day's
sequence, the dossier and its audit event."""

from django.db import models


class Unit(models.Model):
    code = models.CharField(max_length=40, unique=True)
    prefix = models.CharField(max_length=40)


class Procedure(models.Model):
    code = models.CharField(max_length=40, unique=True)
    days = models.PositiveIntegerField(default=5)


class Officer(models.Model):
    username = models.CharField(max_length=150, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    is_active = models.BooleanField(default=True)


class Token(models.Model):
    key_hash = models.CharField(max_length=64, unique=True)
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE)
    revoked_at = models.DateTimeField(null=True)


class Sequence(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("unit", "day")]


class Dossier(models.Model):
    code = models.CharField(max_length=64, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=24, default="received")
    applicant_name = models.CharField(max_length=200)
    applicant_id_number = models.CharField(max_length=20)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.CharField(max_length=254, blank=True)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    received_by = models.ForeignKey(Officer, on_delete=models.PROTECT)


class Event(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32)
    at = models.DateTimeField()
    actor = models.ForeignKey(Officer, on_delete=models.PROTECT)
    status_to = models.CharField(max_length=24)
