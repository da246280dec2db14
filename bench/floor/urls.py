"""The floor's two routes (see ``bench/floor/__init__.py``)."""

import datetime as dt
import hashlib
import uuid

from django.db import connection, transaction
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer
from pydantic import Field

from bench.floor.models import Dossier, Event, Officer, Procedure, Sequence, Token, Unit


class Bearer(HttpBearer):
    def authenticate(self, request, token):
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = (Token.objects.select_related("officer").filter(key_hash=digest, revoked_at__isnull=True,
                                                                 officer__is_active=True).first())
        return found.officer if found else None


api = NinjaAPI(urls_namespace="floor")


class Applicant(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    id_number: str = Field(..., min_length=9, max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class DossierIn(Schema):
    procedure: str = Field(..., max_length=40)
    unit: str = Field(..., max_length=40)
    channel: str = Field(..., max_length=16)
    applicant: Applicant


class DossierOut(Schema):
    code: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime


def _out(d: Dossier) -> dict:
    return {"code": d.code, "status": d.status, "received_at": d.received_at, "due_at": d.due_at}


@api.post("/dossiers", auth=Bearer(), response={201: DossierOut, 404: dict})
def create(request, payload: DossierIn):
    officer = request.auth
    procedure = Procedure.objects.filter(code=payload.procedure).first()
    unit = Unit.objects.filter(code=payload.unit).first()
    if procedure is None or unit is None:
        return 404, {"error": "not found"}
    now = timezone.now()
    day = timezone.localdate(now)
    a = payload.applicant
    with transaction.atomic():
        d = Dossier.objects.create(
            code=f"tmp-{uuid.uuid4().hex}", procedure=procedure, unit=unit, channel=payload.channel,
            applicant_name=a.full_name, applicant_id_number=a.id_number, applicant_phone=a.phone,
            applicant_email=a.email, received_at=now, due_at=now + dt.timedelta(days=procedure.days),
            received_by=officer)
        # The day's number, taken as late as possible (as Motcua's dossiers.codes.assign_code).
        seq_t, d_t = Sequence._meta.db_table, Dossier._meta.db_table
        with connection.cursor() as c:
            c.execute(f"INSERT INTO {seq_t} (unit_id, day, last) VALUES (%s, %s, 1) ON CONFLICT (unit_id, day) "
                      f"DO UPDATE SET last = {seq_t}.last + 1 RETURNING last", [unit.pk, day])
            (number,) = c.fetchone()
        d.code = f"{unit.prefix}-{day:%y%m%d}-{number:04d}"
        Dossier.objects.filter(pk=d.pk).update(code=d.code)
        Event.objects.create(dossier=d, kind="received", at=now, actor=officer, status_to=d.status)
    return 201, _out(d)


@api.get("/public/track/{code}", response={200: DossierOut, 404: dict})
def track(request, code: str):
    d = Dossier.objects.filter(code=code.strip()).first()
    if d is None:
        return 404, {"error": "not found"}
    return _out(d)


urlpatterns = [path("api/v1/", api.urls)]


def seed(raw_token: str) -> None:
    """The unit, procedure and counter officer the bench posts as (the same codes as Motcua's demo)."""
    unit = Unit.objects.create(code="YB.LY.YT", prefix="YB.LY.YT")
    Procedure.objects.create(code="1.004873", days=5)
    officer = Officer.objects.create(username="bench.counter", unit=unit)
    Token.objects.create(key_hash=hashlib.sha256(raw_token.encode()).hexdigest(), officer=officer)
