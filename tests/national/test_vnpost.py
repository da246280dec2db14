"""VNPost (issue 18 §6) against its simulator over HTTP on the live server: a result to deliver by
post gets its order when the dossier is resolved (client-credentials token, VNPost's province and
district codes for sender and receiver, cash on delivery for an unpaid fee), tracking polled and
told on the timeline in plain words through the audit writer, "delivered" returning the result
with its date; cancelling; the papers collected by post; VNPost refusing or unreachable leaving
the dossier unharmed; the counter's view. Runs on SQLite and, with ``DATABASE_URL``, PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from motcua.accounts.models import User
from motcua.dossiers import intake
from motcua.dossiers.models import DossierEvent, Status
from motcua.errors import InvalidInput
from motcua.national.contrib.vnpost import areas, orders
from motcua.national.models import PostalArea, PostalOrder
from tests.files.conftest import APPLICANT, advance
from tests.national.conftest import reload_urls

ADDRESS = "Thôn 3, xã Minh Xuân, huyện Lục Yên, tỉnh Yên Bái"
TO_APPROVED = (
    ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}),
    ("chuyenvien.yt", "propose", {}),
    ("lanhdao.yt", "approve", {}),
)


@pytest.fixture
def vnpost(settings, live_server, transactional_db):
    """``MOTCUA_VNPOST_SANDBOX=true`` as ``make run`` sets it, no ``MOTCUA_VNPOST_URL``."""
    settings.VNPOST_SANDBOX = True
    settings.VNPOST_URL = ""
    settings.PUBLIC_URL = live_server.url
    reload_urls()
    cache.delete("national:vnpost:token")
    yield settings
    settings.VNPOST_SANDBOX = False
    reload_urls()


def by_post(procedure="2.000635", address=ADDRESS, **kwargs):
    """A counter intake at Thị trấn Yên Thế whose result goes back by post."""
    return intake.receive_dossier(
        actor=User.objects.get(username="motcua.yt"), procedure_code=procedure, unit_code="YB.LY.YT",
        channel="direct", applicant=dict(APPLICANT), delivery="post", delivery_address=address, **kwargs)


def sandbox_order(number):
    from motcua.national.contrib.vnpost_sandbox.models import SandboxOrder

    return SandboxOrder.objects.get(order_number=number)


def postal_notes(dossier) -> list[str]:
    return list(DossierEvent.objects.filter(dossier=dossier, action="postal").order_by("seq").values_list("note", flat=True))


def test_result_by_post_from_order_to_delivered_on_the_timeline(vnpost, demo):
    dossier = by_post()
    assert not PostalOrder.objects.exists()
    dossier = advance(dossier, *TO_APPROVED)
    order = PostalOrder.objects.get(dossier=dossier)  # written with the approval
    assert order.state == PostalOrder.State.PENDING and order.direction == PostalOrder.Direction.RESULT

    assert orders.send(order.pk) == PostalOrder.State.SENT
    order.refresh_from_db()
    held = sandbox_order(order.order_number).data
    assert (held["SenderProvince"], held["SenderDistrict"]) == (33, 3340)  # Yên Bái, Lục Yên: the unit
    assert (held["ReceiverProvince"], held["ReceiverDistrict"]) == (33, 3340)
    assert held["ReceiverName"] == APPLICANT["full_name"] and held["ReceiverAddress"] == ADDRESS
    assert held["CODAmount"] == 8000.0 and order.cod_amount == 8000  # the fee, unpaid: collected on delivery
    assert held["SenderName"].startswith("Bộ phận Một cửa – Thị trấn Yên Thế")

    for _ in range(4):
        orders.poll_tracking()
    order.refresh_from_db()
    assert order.state == PostalOrder.State.DELIVERED and order.status_code == "4"
    notes = postal_notes(dossier)
    assert notes[0].startswith("Đã gửi VNPost yêu cầu chuyển phát kết quả đến người dân")
    assert "thu hộ phí, lệ phí 8.000 đồng khi phát" in notes[0]
    assert [n.split(": ", 1)[1].split(" – ")[0] for n in notes[1:]] == [
        "Bưu điện đã nhận yêu cầu", "Bưu tá đã nhận bưu gửi", "Bưu gửi đang được vận chuyển, phát", "Đã phát thành công"]
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_RETURNED and dossier.returned_at == order.delivered_at
    returned = DossierEvent.objects.get(dossier=dossier, action="return_result")
    assert returned.actor_id is None and returned.actor_name == "Bưu điện Việt Nam (VNPost)"

    count = DossierEvent.objects.filter(dossier=dossier).count()
    orders.poll_tracking()  # read again: nothing twice
    assert DossierEvent.objects.filter(dossier=dossier).count() == count


def test_vnpost_refusing_an_order_leaves_the_dossier_unharmed(vnpost, demo, client):
    from motcua.national.contrib.vnpost_sandbox.models import SandboxPostalFault

    SandboxPostalFault.objects.create(status="102", message="Địa chỉ người nhận ngoài vùng phục vụ.")
    dossier = advance(by_post(), *TO_APPROVED)
    order = PostalOrder.objects.get(dossier=dossier)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    assert orders.send(order.pk) == PostalOrder.State.REFUSED
    order.refresh_from_db()
    assert order.answer == "VNPost không nhận đơn (102): Địa chỉ người nhận ngoài vùng phục vụ."
    dossier.refresh_from_db()
    assert dossier.status == Status.APPROVED and DossierEvent.objects.filter(dossier=dossier).count() == events

    client.force_login(User.objects.get(username="motcua.yt"))
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'data-state="refused"' in page and "Địa chỉ người nhận ngoài vùng phục vụ." in page
    # Sent again (the fault used up): a new order number, accepted.
    response = client.post(f"/can-bo/lien-thong/buu-chinh/{dossier.code}/", {"what": "resend", "order": order.pk})
    assert response.status_code == 302
    again = PostalOrder.objects.exclude(pk=order.pk).get(dossier=dossier)
    assert again.order_number.endswith("-KQ2")
    assert orders.send(again.pk) == PostalOrder.State.SENT


def test_an_address_without_a_province_is_said_plainly(vnpost, demo):
    dossier = advance(by_post(address="Số 5 đường Hoa Ban"), *TO_APPROVED)
    order = PostalOrder.objects.get(dossier=dossier)
    assert orders.send(order.pk) == PostalOrder.State.REFUSED
    order.refresh_from_db()
    assert "cần ghi rõ huyện, tỉnh" in order.answer


def test_unreachable_vnpost_keeps_the_order_for_later(vnpost, demo, settings):
    dossier = advance(by_post(), *TO_APPROVED)
    order = PostalOrder.objects.get(dossier=dossier)
    settings.VNPOST_SANDBOX = False
    settings.VNPOST_URL = "http://127.0.0.1:9"  # nothing listens
    settings.VNPOST_CUSTOMER_CODE, settings.VNPOST_KEY, settings.VNPOST_SECRET = "X", "k", "s"
    assert orders.send(order.pk) == PostalOrder.State.FAILED
    order.refresh_from_db()
    assert order.next_attempt_at is not None and "Không kết nối được VNPost" in order.answer
    assert Dossier_status(dossier) == Status.APPROVED


def Dossier_status(dossier):
    dossier.refresh_from_db()
    return dossier.status


def test_the_counter_cancels_an_order_and_asks_for_papers_to_be_collected(vnpost, demo, client):
    citizen = User.objects.get(username="congdan")
    online = intake.receive_dossier(actor=citizen, procedure_code="1.001193", unit_code="YB.LY.YT", channel="online",
                                      applicant={**APPLICANT, "address": ADDRESS})
    client.force_login(User.objects.get(username="motcua.yt"))
    page = client.get(f"/can-bo/ho-so/{online.code}/").content.decode()
    assert "Yêu cầu bưu điện thu gom hồ sơ" in page
    client.post(f"/can-bo/lien-thong/buu-chinh/{online.code}/", {"what": "collect"})
    collect = PostalOrder.objects.get(dossier=online)
    assert collect.direction == PostalOrder.Direction.COLLECT
    assert orders.send(collect.pk) == PostalOrder.State.SENT
    held = sandbox_order(collect.order_number).data
    assert held["SenderName"] == APPLICANT["full_name"] and held["ReceiverName"].startswith("Bộ phận Một cửa")
    assert held["CODAmount"] == 0.0

    client.post(f"/can-bo/lien-thong/buu-chinh/{online.code}/", {"what": "cancel", "order": collect.pk})
    collect.refresh_from_db()
    assert collect.state == PostalOrder.State.CANCELLED and sandbox_order(collect.order_number).cancelled
    assert postal_notes(online)[-1] == f"Đã hủy đơn bưu chính {collect.order_number}."
    page = client.get(f"/can-bo/ho-so/{online.code}/").content.decode()
    assert 'data-state="cancelled"' in page

    # A specialist may not.
    client.force_login(User.objects.get(username="chuyenvien.yt"))
    assert client.post(f"/can-bo/lien-thong/buu-chinh/{online.code}/", {"what": "collect"}).status_code == 403


def test_areas_are_importable_data(demo, tmp_path):
    province, district = areas.resolve(ADDRESS)
    assert (province.code, district.code) == ("33", "3340")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "vnpost-areas/1", "provinces": [{"code": "", "name": "X"}]}))
    with pytest.raises(InvalidInput) as exc:
        areas.load(bad)
    assert "provinces[0]" in exc.value.fields
    assert PostalArea.objects.filter(code="33").exists()  # nothing replaced
    good = tmp_path / "areas.json"
    good.write_text(json.dumps({"format": "vnpost-areas/1", "provinces": [
        {"code": "330000", "name": "Tỉnh Yên Bái", "districts": [{"code": "331500", "name": "Huyện Lục Yên"}]}]}))
    assert areas.load(good) == 2
    assert [a.code for a in areas.resolve(ADDRESS)] == ["330000", "331500"]


def test_the_operator_page_lists_the_orders_and_the_refused_ones(vnpost, demo, client):
    from motcua.national.contrib.vnpost_sandbox.models import SandboxPostalFault

    SandboxPostalFault.objects.create(status="102", message="Ngoài vùng phục vụ.")
    refused = PostalOrder.objects.get(dossier=advance(by_post(), *TO_APPROVED))
    orders.send(refused.pk)
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/can-bo/lien-thong/").content.decode()
    assert f'data-postal="{refused.order_number}" data-state="refused"' in page
    assert "VNPost không nhận đơn (102): Ngoài vùng phục vụ." in page
