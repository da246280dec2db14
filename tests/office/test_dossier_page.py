"""The dossier page: facts, the audit trail, and one form per action the user may take now."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent


def page(client, code: str) -> str:
    response = client.get(reverse("office:dossier", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def action_forms(html: str) -> set[str]:
    return set(re.findall(r'<form method="post" action="[^"]+/thao-tac/" id="action-([a-z_]+)"', html))


def post(client, code: str, action: str, **fields):
    return client.post(reverse("office:dossier_action", args=[code]), {"action": action, **fields})


def status_of(code: str) -> str:
    return Dossier.objects.get(code=code).status


def test_page_shows_the_facts_and_the_timeline(login, receive):
    dossier = receive()
    html = page(login("motcua.yt"), dossier.code)
    for text in (dossier.code, "Cấp Giấy xác nhận tình trạng hôn nhân", "Lường Thị Thu", "015190000456",
                 "Trực tiếp", "Thị trấn Yên Thế", "Chưa phân công", "Đã tiếp nhận", "Quá trình xử lý",
                 "Tiếp nhận hồ sơ", "Nguyễn Thị Hoa"):
        assert text in html, text
    assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in html
    assert 'id="print"' in html  # the place for "Phiếu in" links


def test_page_offers_exactly_the_allowed_actions(login, receive):
    from motcua.accounts.models import User
    from motcua.dossiers.actions import allowed_actions

    dossier = receive()
    for username in ("motcua.yt", "chuyenvien.yt", "lanhdao.yt"):
        client = login(username)
        expected = {t.action for t in allowed_actions(User.objects.get(username=username), dossier)}
        assert action_forms(page(client, dossier.code)) == expected, username
    assert action_forms(page(login("motcua.yt"), dossier.code)) == {
        "request_supplement", "assign", "transfer", "withdraw"}
    assert action_forms(page(login("chuyenvien.yt"), dossier.code)) == set()


def test_a_dossier_of_another_unit_is_not_found(login, receive):
    dossier = receive()
    client = login("motcua.mx")
    assert client.get(reverse("office:dossier", args=[dossier.code])).status_code == 404
    assert post(client, dossier.code, "assign", assignee="chuyenvien.mx").status_code == 404
    assert client.get(reverse("office:dossier", args=["KHONG-CO-0000"])).status_code == 404
    assert status_of(dossier.code) == "received"


def test_citizen_and_anonymous_never_reach_a_dossier_page(client, login, receive):
    dossier = receive()
    url = reverse("office:dossier", args=[dossier.code])
    assert client.get(url).status_code == 302 and "dang-nhap" in client.get(url)["Location"]
    assert login("congdan").get(url)["Location"] == reverse("portal:home")


def test_accept_an_online_dossier(login, receive):
    dossier = receive(by="congdan", channel="online")
    response = post(login("motcua.yt"), dossier.code, "accept")
    assert response.status_code == 302 and status_of(dossier.code) == "received"
    html = login("motcua.yt").get(response["Location"]).content.decode()
    assert "Đã thực hiện “Tiếp nhận hồ sơ”. Trạng thái hồ sơ: Đã tiếp nhận." in html


def test_refuse_needs_a_reason_and_keeps_what_was_typed(login, receive):
    dossier = receive(by="congdan", channel="online")
    client = login("motcua.yt")
    response = post(client, dossier.code, "refuse", note="   ")
    html = response.content.decode()
    assert response.status_code == 422 and "Vui lòng ghi rõ lý do." in html
    assert status_of(dossier.code) == "submitted"
    assert post(client, dossier.code, "refuse", note="Không thuộc thẩm quyền", confirmed="1").status_code == 302
    assert status_of(dossier.code) == "refused"
    assert "Không thuộc thẩm quyền" in page(client, dossier.code)


def test_request_supplement_then_supplement_at_the_counter(login, receive):
    """CONTRACT §3: waiting for the citizen stops the clock; resuming returns to the previous status."""
    dossier = receive()
    client = login("motcua.yt")
    assert post(client, dossier.code, "request_supplement", note="Thiếu bản sao CCCD").status_code == 302
    assert status_of(dossier.code) == "awaiting_supplement"
    assert "Tạm dừng tính thời gian" in page(client, dossier.code)
    assert post(client, dossier.code, "supplement", note="Đã nộp bổ sung").status_code == 302
    assert status_of(dossier.code) == "received"


def test_assign_to_a_specialist_of_the_unit(login, receive):
    dossier = receive()
    client = login("motcua.yt")
    html = page(client, dossier.code)
    assert 'value="chuyenvien.yt"' in html and 'value="chuyenvien.mx"' not in html
    assert post(client, dossier.code, "assign", assignee="chuyenvien.yt").status_code == 302
    d = Dossier.objects.get(code=dossier.code)
    assert d.status == "processing" and d.assignee.username == "chuyenvien.yt"
    assert "Phân công cho: Trần Văn Nam" in page(client, dossier.code)


def test_assign_to_someone_outside_the_unit_is_shown_as_an_error(login, receive):
    dossier = receive()
    response = post(login("motcua.yt"), dossier.code, "assign", assignee="chuyenvien.mx")
    html = response.content.decode()
    assert response.status_code == 422
    assert "không phải chuyên viên của Thị trấn Yên Thế" in html and 'id="action-error"' in html
    assert status_of(dossier.code) == "received"


def test_assign_without_choosing_anyone(login, receive):
    dossier = receive()
    response = post(login("motcua.yt"), dossier.code, "assign", assignee="")
    assert response.status_code == 422 and "Bắt buộc với thao tác này." in response.content.decode()


def test_transfer_to_another_unit(login, receive):
    dossier = receive()
    client = login("motcua.yt")
    assert 'value="YB.LY"' in page(client, dossier.code)
    assert post(client, dossier.code, "transfer", to_unit="YB.LY", note="Liên thông lên huyện").status_code == 302
    d = Dossier.objects.get(code=dossier.code)
    assert d.current_unit.code == "YB.LY" and d.status == "received"
    html = page(client, dossier.code)  # the receiving counter still sees its dossier
    assert "Chuyển đến: Huyện Lục Yên" in html
    assert "Huyện Lục Yên" in page(login("motcua.ly"), dossier.code)


def test_specialist_proposes_and_leader_approves(login, receive, act):
    dossier = receive()
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    specialist = login("chuyenvien.yt")
    assert "propose" in action_forms(page(specialist, dossier.code))
    assert post(specialist, dossier.code, "propose", note="Đủ điều kiện").status_code == 302
    assert status_of(dossier.code) == "awaiting_approval"
    leader = login("lanhdao.yt")
    assert {"approve", "reject"} <= action_forms(page(leader, dossier.code))
    assert post(leader, dossier.code, "approve", confirmed="1").status_code == 302
    d = Dossier.objects.get(code=dossier.code)
    assert d.status == "approved" and d.resolved_at is not None


def test_leader_rejects_with_a_reason(login, receive):
    dossier = receive()
    assert post(login("lanhdao.yt"), dossier.code, "reject", note="Không đủ điều kiện", confirmed="1").status_code == 302
    assert status_of(dossier.code) == "rejected"


def test_counter_returns_the_result_by_post(login, receive, act):
    dossier = receive()
    act("lanhdao.yt", dossier.code, "reject", note="Không đủ điều kiện")
    client = login("motcua.yt")
    assert "return_result" in action_forms(page(client, dossier.code))
    assert post(client, dossier.code, "return_result", delivery="post").status_code == 302
    d = Dossier.objects.get(code=dossier.code)
    assert d.status == "result_returned" and d.delivery == "post" and d.returned_at is not None


def test_counter_withdraws_at_the_applicants_request(login, receive):
    dossier = receive()
    assert post(login("motcua.yt"), dossier.code, "withdraw", note="Công dân xin rút").status_code == 302
    assert status_of(dossier.code) == "withdrawn"


def test_leader_reschedules_once(login, receive):
    """NĐ 61/2018 Art. 19 (domain/dossier.md "late"): notice, apology and a new date, once."""
    dossier = receive()
    client = login("lanhdao.yt")
    new_due = timezone.localtime(dossier.due_at + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    assert post(client, dossier.code, "reschedule", due_at=new_due, note="Xin lỗi vì chậm").status_code == 302
    d = Dossier.objects.get(code=dossier.code)
    assert timezone.localtime(d.due_at).strftime("%Y-%m-%dT%H:%M") == new_due and d.reschedules == 1
    assert "reschedule" not in action_forms(page(client, dossier.code))
    response = post(client, dossier.code, "reschedule", due_at=new_due, note="Lần hai")
    assert response.status_code == 409
    assert "Hồ sơ chỉ được hẹn lại ngày trả kết quả một lần." in response.content.decode()


def test_reschedule_to_an_earlier_date_is_refused_with_a_message(login, receive):
    dossier = receive()
    earlier = timezone.localtime(dossier.due_at - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post(login("lanhdao.yt"), dossier.code, "reschedule", due_at=earlier, note="Thử")
    assert response.status_code == 422
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại." in response.content.decode()


def test_an_action_not_allowed_now_is_a_vietnamese_message_not_a_crash(login, receive):
    dossier = receive()
    client = login("motcua.yt")
    response = post(client, dossier.code, "accept")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Không thể “Tiếp nhận hồ sơ” khi hồ sơ đang ở trạng thái “Đã tiếp nhận”" in html
    response = post(client, dossier.code, "approve")
    assert response.status_code == 403 and "Bạn không có quyền “Phê duyệt kết quả”" in response.content.decode()
    response = post(client, dossier.code, "fly_away")
    assert response.status_code == 422 and "Thao tác “fly_away” không tồn tại." in response.content.decode()
    assert status_of(dossier.code) == "received"
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_actions_need_the_csrf_token(demo, receive):
    from django.test import Client

    from motcua.accounts.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="motcua.yt"))
    dossier = receive()
    assert post(client, dossier.code, "withdraw", note="x").status_code == 403
    assert status_of(dossier.code) == "received"


@pytest.mark.parametrize("username", ["thanhtra.yb", "admin"])
def test_inspectors_read_but_have_no_actions(login, receive, username):
    dossier = receive()
    html = page(login(username), dossier.code)
    assert dossier.code in html and action_forms(html) == set()


def test_the_actions_a_role_can_take_now_come_first_on_the_page(login, receive, act):
    """Issue 17 §1: the leader's approve button sat at 2,400 px of a 4,700 px page. The actions
    ``actions.check`` allows come before the facts, papers, payments and timeline."""
    dossier = receive()
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    act("chuyenvien.yt", dossier.code, "propose")
    html = page(login("lanhdao.yt"), dossier.code)
    actions_at = html.index('id="actions"')
    for later in ("Thông tin hồ sơ", 'id="papers"', 'id="payments"', "Quá trình xử lý"):
        assert actions_at < html.index(later), later
    assert html.index('id="action-approve"') < html.index("Thông tin hồ sơ")


@pytest.mark.parametrize("action, fields", [("approve", {}), ("reject", {"note": "Không đủ điều kiện"})])
def test_approve_and_reject_ask_for_confirmation_first(login, receive, act, action, fields):
    """Issue 17 §1: approve acted at once. The first press asks (works without JavaScript: the
    page answers with the question and a form that carries what was typed); nothing is written
    until the officer confirms."""
    dossier = receive()
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    act("chuyenvien.yt", dossier.code, "propose")
    leader = login("lanhdao.yt")
    events = DossierEvent.objects.filter(dossier=dossier).count()
    response = post(leader, dossier.code, action, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert status_of(dossier.code) == "awaiting_approval" and DossierEvent.objects.filter(dossier=dossier).count() == events
    panel = html[html.index('id="confirm"'):]
    panel = panel[:panel.index("</section>")]
    assert "Xác nhận" in panel and dossier.code in panel and 'name="confirmed" value="1"' in panel
    assert f'name="action" value="{action}"' in panel
    for value in fields.values():
        assert value in panel  # what was typed goes along
    assert html.index('id="confirm"') < html.index("Thông tin hồ sơ")
    assert "Quay lại" in panel
    assert post(leader, dossier.code, action, confirmed="1", **fields).status_code == 302
    assert status_of(dossier.code) == ("approved" if action == "approve" else "rejected")


def test_refusing_an_online_filing_asks_for_confirmation(login, receive):
    dossier = receive(by="congdan", channel="online")
    client = login("motcua.yt")
    response = post(client, dossier.code, "refuse", note="Không thuộc thẩm quyền")
    assert response.status_code == 200 and 'id="confirm"' in response.content.decode()
    assert status_of(dossier.code) == "submitted"


def test_no_confirmation_is_asked_for_what_would_fail_anyway(login, receive):
    """An action the user may not take, or one missing its reason, answers with its error at once."""
    dossier = receive(by="congdan", channel="online")
    response = post(login("motcua.yt"), dossier.code, "refuse", note="")
    assert response.status_code == 422 and 'id="confirm"' not in response.content.decode()
    response = post(login("motcua.yt"), dossier.code, "approve")
    assert response.status_code == 403 and 'id="confirm"' not in response.content.decode()
    # Accepting needs no confirmation: it is the counter's everyday step.
    assert post(login("motcua.yt"), dossier.code, "accept").status_code == 302
