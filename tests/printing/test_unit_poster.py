"""The QR poster of a unit's procedures (issue "Foundation…" item 8)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.catalog import services as catalog
from motcua.catalog.models import Unit
from motcua.printing.poster import poster_cards
from motcua.printing.text import vietnamese_key
from tests.printing.conftest import (
    LONG_NAME,
    TRICKY_NAME,
    images,
    is_a4_portrait,
    nfc,
    pdf_reader,
    pdf_text,
    qr_modules_in,
    qr_modules_of,
)

pytestmark = pytest.mark.db_agnostic  # PostgreSQL cannot change it (docs/testing.md)


def test_poster_lists_every_procedure_of_the_unit_over_several_a4_pages(client, many_procedures):
    many_procedures(32)
    unit = Unit.objects.get(code="YB.LY.YT")
    names = list(catalog.procedures_of_unit(unit).values_list("name", flat=True))
    assert len(names) >= 32

    started = time.perf_counter()
    response = client.get(reverse("portal:unit_poster", args=["YB.LY.YT"]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = pdf_reader(content)
    pages = len(reader.pages)
    print(f"poster: {len(names)} procedures, {pages} pages, {elapsed * 1000:.0f} ms, {elapsed / pages * 1000:.1f} ms/page")

    assert pages >= 3
    assert all(is_a4_portrait(page) for page in reader.pages)
    text = pdf_text(content)
    assert nfc("Thị trấn Yên Thế") in text
    assert nfc("Quét mã QR để xem hồ sơ, thời hạn, lệ phí") in text
    for name in names:
        assert nfc(name) in text, name
    assert nfc(TRICKY_NAME) in text  # Typst markup in a name prints as itself
    assert f"Trang 1 / {pages}" in text and f"Trang {pages} / {pages}" in text
    # Ten cards a page, each with its own QR image.
    assert sum(len(images(page)) for page in reader.pages) == len(names)


def test_each_card_links_to_the_public_page_of_its_procedure(client, many_procedures):
    many_procedures(3)
    unit = Unit.objects.get(code="YB.LY.YT")
    cards = poster_cards(unit)
    first = cards[0]
    assert first["url"] == settings.SERVE_URL + reverse("portal:procedure", args=[first["code"]])  # no request

    content = client.get(reverse("portal:unit_poster", args=["YB.LY.YT"])).content
    page = pdf_reader(content).pages[0]
    # Printed through the web, the QR codes point at the address the request came to.
    assert qr_modules_of("http://testserver" + reverse("portal:procedure", args=[first["code"]])) in qr_modules_in(page)


def test_cards_are_ordered_by_field_then_name_in_vietnamese_order(many_procedures):
    many_procedures(6)
    cards = poster_cards(Unit.objects.get(code="YB.LY.YT"))
    keys = [(vietnamese_key(c["field"]), vietnamese_key(c["name"])) for c in cards]
    assert keys == sorted(keys)
    fields = [c["field"] for c in cards]
    # "Đất đai" comes after the fields in D and before "Hộ tịch", unlike a byte-order sort.
    assert fields.index("Đất đai") < fields.index("Hộ tịch")


def test_long_names_shrink_to_fit_their_card(client, many_procedures):
    many_procedures(2)
    content = client.get(reverse("portal:unit_poster", args=["YB.LY.YT"])).content
    assert nfc(LONG_NAME) in pdf_text(content)


def test_cards_show_time_and_fee(many_procedures):
    many_procedures(4)
    by_code = {c["code"]: c for c in poster_cards(Unit.objects.get(code="YB.LY.YT"))}
    assert by_code["9.000002"]["time"] == "03 ngày làm việc"
    assert by_code["9.000002"]["fee"] == "50.000 đồng"
    assert by_code["9.000000"]["fee"] == "Không thu"


def test_unknown_unit_has_no_poster(client, demo):
    assert client.get(reverse("portal:unit_poster", args=["KHONG.CO"])).status_code == 404
