"""The fee receipt PDF on the citizen's own dossier page (/ho-so-cua-toi/{code}/): a link
once an order is paid, the PDF served to the owner only."""

from __future__ import annotations

import io

import pypdf
from django.test import Client

from tests.files.conftest import media_dir, online_dossier  # noqa: F401

FEE_PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: 2.000 đồng/trang


def login(username):
    from motcua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_paid_fee_receipt_is_linked_and_served_to_the_owner_only(online_dossier):  # noqa: F811
    from motcua.accounts.models import Role, User
    from motcua.payments.models import PaymentOrder

    dossier = online_dossier(FEE_PROCEDURE)
    citizen = login("congdan")
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Tải biên lai thu phí" not in page  # nothing paid yet

    r = login("motcua.yt").post(f"/can-bo/ho-so/{dossier.code}/nop-tien-mat/", {"q0": "2", "q1": "0", "reference": "BL-9"})
    assert r.status_code == 302
    order = PaymentOrder.objects.get(dossier=dossier, status="paid")
    url = f"/ho-so-cua-toi/{dossier.code}/phi/{order.order_id}/bien-lai.pdf"
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert f'href="{url}"' in page and "Tải biên lai thu phí (PDF)" in page

    pdf = citizen.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"bien-lai-{order.order_id}.pdf" in pdf["Content-Disposition"]
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "BL-9" in text and dossier.code in text

    other = User.objects.create_user("nguoi-khac", password="x-long-password-1", role=Role.CITIZEN)
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(url).status_code == 404
    assert citizen.get(f"/ho-so-cua-toi/{dossier.code}/phi/KHONG-CO/bien-lai.pdf").status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page
