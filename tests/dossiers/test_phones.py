"""A phone number has one spelling everywhere it is stored (issue 22 §3):
``identifiers.canonical_phone``, ``0912345678``; the migrations convert what was kept
as ``+84912345678``."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from motcua.dossiers.models import Dossier
from motcua.dossiers.validation import check_applicant
from motcua.identifiers import canonical_phone

from tests.dossiers.data import APPLICANT

SPELLINGS = [
    ("0912345678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("(+84) 912 345 678", "0912345678"),
    ("02163852111", ""),          # 11 digits: not the dossiers' rule (PHONE)
    ("+842163852111", ""),
    ("0212345678", "0212345678"),
    ("+84212345678", "0212345678"),
    ("84912345678", ""),          # without the plus: not a spelling the rule accepts
    ("0112345678", ""),
    ("", ""),
    ("abc", ""),
]


@pytest.mark.parametrize("typed, canonical", SPELLINGS)
def test_one_spelling_per_number(typed, canonical):
    assert canonical_phone(typed) == canonical


@pytest.mark.parametrize("typed, canonical", [(t, c) for t, c in SPELLINGS if c])
def test_an_applicant_is_stored_with_the_one_spelling(typed, canonical):
    assert check_applicant({**APPLICANT, "phone": typed})["phone"] == canonical


def test_the_accounts_and_the_dossiers_share_the_function():
    from motcua.accounts import adapter, profile
    from motcua.voices import services

    assert profile.canonical_phone is adapter.canonical_phone is services.canonical_phone is canonical_phone


def _forwards(module: str):
    return importlib.import_module(module).forwards


def test_the_migration_converts_the_dossiers(receive):
    typed_plus, typed_zero = receive(), receive()
    Dossier.objects.filter(pk=typed_plus.pk).update(applicant_phone="+84987654321")  # as kept before
    Dossier.objects.filter(pk=typed_zero.pk).update(applicant_phone="0912345678")
    _forwards("motcua.dossiers.migrations.0010_canonical_phones")(apps, None)
    assert Dossier.objects.get(pk=typed_plus.pk).applicant_phone == "0987654321"
    assert Dossier.objects.get(pk=typed_zero.pk).applicant_phone == "0912345678"


def test_the_migration_converts_the_questions(receive):
    from motcua.voices.models import Question

    dossier = receive()
    q = Question.objects.create(procedure=dossier.procedure, unit=dossier.unit, text="Hỏi về lệ phí khai sinh ở xã?",
                                contact_name="Bình", contact_phone="+84987654321",
                                asked_at=dossier.received_at, due_at=dossier.due_at)
    _forwards("motcua.voices.migrations.0002_canonical_phones")(apps, None)
    q.refresh_from_db()
    assert q.contact_phone == "0987654321"


def test_the_migration_converts_the_accounts_but_never_takes_anothers_number(demo):
    from motcua.accounts.models import User

    alone = User.objects.create(username="plus.alone", phone="+84987000111")
    twin = User.objects.create(username="plus.twin", phone="+84987000222")
    holder = User.objects.create(username="zero.holder", phone="0987000222")
    _forwards("motcua.accounts.migrations.0005_canonical_phones")(apps, None)
    assert User.objects.get(pk=alone.pk).phone == "0987000111"
    assert User.objects.get(pk=twin.pk).phone == "+84987000222"  # left: the number is another's
    assert User.objects.get(pk=holder.pk).phone == "0987000222"
