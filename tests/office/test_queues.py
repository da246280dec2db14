"""The workbench home: queues scoped to the user's units and role, counts, filters, paging."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier

HOME = "/can-bo/"


def queue_count(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r'\s*<span class="count[^"]*">(\d+)</span>', html)
    assert match, f"queue {label!r} not on the page"
    return int(match.group(1))


def test_office_urls_keep_their_names():
    assert reverse("office:login") == "/can-bo/dang-nhap/"
    assert reverse("office:logout") == "/can-bo/dang-xuat/"
    assert reverse("office:home") == HOME


def test_anonymous_visitor_is_sent_to_the_login_page(client, demo):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_login_page_logs_a_counter_officer_in_and_lands_on_the_workbench(client, demo):
    page = client.get("/can-bo/dang-nhap/")
    assert page.status_code == 200 and "Đăng nhập" in page.content.decode()
    response = client.post("/can-bo/dang-nhap/", {"username": "motcua.yt", "password": "motcua-demo"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == HOME
    assert "Bàn làm việc" in html and "Nguyễn Thị Hoa" in html


def test_wrong_password_shows_a_vietnamese_message(client, demo):
    response = client.post("/can-bo/dang-nhap/", {"username": "motcua.yt", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_citizen_is_sent_to_the_public_portal(login):
    response = login("congdan").get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_queues_show_only_the_dossiers_of_the_users_units(login, receive):
    ours = receive(unit="YB.LY.YT", by="motcua.yt")
    theirs = receive(unit="YB.LY.MX", by="motcua.mx")
    client = login("motcua.yt")
    for queue in ("moi", "tat-ca", "sap-den-han", "qua-han", "cho-tra", "cho-bo-sung"):
        html = client.get(HOME, {"hang": queue}).content.decode()
        assert theirs.code not in html, queue
    html = client.get(HOME, {"hang": "tat-ca"}).content.decode()
    assert ours.code in html
    assert queue_count(html, "Hồ sơ mới") == 1
    assert "Mọi hồ sơ của đơn vị" in html  # the archive is listed, not counted
    # Searching for the other unit's code does not leak it either.
    html = client.get(HOME, {"hang": "tat-ca", "q": theirs.code}).content.decode()
    assert reverse("office:dossier", args=[theirs.code]) not in html
    assert "<strong>0</strong> hồ sơ" in html


def test_online_filings_waiting_to_be_accepted_have_their_own_queue_oldest_first(login, receive):
    """Issue 17 §1: a new online filing came 7th of 11 in "Hồ sơ mới", unmarked, among
    accepted-but-unassigned and overdue dossiers. Filings waiting for the counter have their own
    queue, first on the counter's page, the oldest arrival first, each marked as such."""
    now = timezone.now()
    newer = receive(by="congdan", channel="online", arrived_at=now - dt.timedelta(hours=1))
    older = receive(by="congdan", channel="online", arrived_at=now - dt.timedelta(days=3))
    direct = receive()
    client = login("motcua.yt")
    html = client.get(HOME).content.decode()   # the counter's first queue
    assert queue_count(html, "Chờ tiếp nhận") == 2 and queue_count(html, "Hồ sơ mới") == 1
    listed = html[html.index('id="queue-results"'):]
    assert older.code in listed and newer.code in listed and direct.code not in listed
    assert listed.index(older.code) < listed.index(newer.code)
    assert listed.count("Nộp trực tuyến, chờ tiếp nhận") == 2
    new = client.get(HOME, {"hang": "moi"}).content.decode()
    new = new[new.index('id="queue-results"'):]
    assert direct.code in new and older.code not in new and newer.code not in new
    # In the whole list the waiting filings are still marked.
    everything = client.get(HOME, {"hang": "tat-ca"}).content.decode()
    assert everything.count("Nộp trực tuyến, chờ tiếp nhận") == 2


def test_assignment_moves_a_dossier_from_new_to_the_specialists_own_queue(login, receive, act):
    dossier = receive()
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    counter = login("motcua.yt").get(HOME).content.decode()
    assert queue_count(counter, "Hồ sơ mới") == 0
    mine = login("chuyenvien.yt").get(HOME).content.decode()
    assert "Của tôi" in mine and queue_count(mine, "Của tôi") == 1 and dossier.code in mine
    # Another specialist's page does not list it as theirs.
    assert queue_count(login("lanhdao.yt").get(HOME).content.decode(), "Của tôi") == 0


def test_leader_has_the_awaiting_approval_queue_first(login, receive, act):
    dossier = receive()
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    act("chuyenvien.yt", dossier.code, "propose")
    html = login("lanhdao.yt").get(HOME).content.decode()
    assert queue_count(html, "Chờ phê duyệt") == 1
    assert dossier.code in html  # the first queue is listed by default
    assert "Chờ phê duyệt" not in login("motcua.yt").get(HOME).content.decode()


def test_awaiting_return_queue_holds_approved_and_rejected_dossiers_for_the_counter(login, receive, act):
    approved, rejected = receive(), receive()
    act("lanhdao.yt", approved.code, "assign", assignee="chuyenvien.yt")
    act("chuyenvien.yt", approved.code, "propose")
    act("lanhdao.yt", approved.code, "approve")
    act("lanhdao.yt", rejected.code, "reject", note="Không đủ điều kiện")
    html = login("motcua.yt").get(HOME, {"hang": "cho-tra"}).content.decode()
    assert queue_count(html, "Chờ trả kết quả") == 2
    assert approved.code in html and rejected.code in html


def test_overdue_queue_lists_dossiers_past_their_due_time_with_a_badge(login, receive):
    """CONTRACT §5: in progress and ``due_at`` before now → overdue."""
    late = receive(arrived_at=timezone.now() - dt.timedelta(days=30))
    fresh = receive()
    html = login("motcua.yt").get(HOME, {"hang": "qua-han"}).content.decode()
    assert queue_count(html, "Quá hạn") == 1
    assert late.code in html and fresh.code not in html
    assert 'class="badge overdue"' in html


def test_waiting_for_supplement_is_not_overdue(login, receive, act):
    """CONTRACT §3/§5: waiting for the citizen stops the clock; such a dossier is within its deadline."""
    late = receive(arrived_at=timezone.now() - dt.timedelta(days=30))
    act("motcua.yt", late.code, "request_supplement", note="Thiếu tờ khai")
    html = login("motcua.yt").get(HOME, {"hang": "qua-han"}).content.decode()
    assert queue_count(html, "Quá hạn") == 0
    assert queue_count(html, "Chờ bổ sung") == 1


def test_due_soon_queue_uses_two_working_days(login, receive):
    """A same-week deadline is due soon; one three weeks away is not."""
    from motcua.dossiers.deadlines import compute_deadline
    from motcua.catalog.models import Unit

    unit = Unit.objects.get(code="YB.LY.YT")
    soon = receive()
    far = receive()
    limit = compute_deadline(None, unit, timezone.now(), working_days=2).due_at
    Dossier.objects.filter(pk=soon.pk).update(due_at=limit - dt.timedelta(minutes=1))
    Dossier.objects.filter(pk=far.pk).update(due_at=timezone.now() + dt.timedelta(days=21))
    html = login("motcua.yt").get(HOME, {"hang": "sap-den-han"}).content.decode()
    assert soon.code in html and far.code not in html


def test_queue_is_sorted_by_due_date(login, receive):
    later = receive()
    earlier = receive()
    Dossier.objects.filter(pk=later.pk).update(due_at=timezone.now() + dt.timedelta(days=9))
    Dossier.objects.filter(pk=earlier.pk).update(due_at=timezone.now() + dt.timedelta(days=4))
    html = login("motcua.yt").get(HOME, {"hang": "tat-ca"}).content.decode()
    assert html.index(earlier.code) < html.index(later.code)


def test_filters_by_keyword_without_diacritics_and_by_status(login, receive, act):
    marriage = receive()
    birth = receive(procedure="1.001193", applicant={**{"full_name": "Hoàng Văn Bình", "id_number": "015190000999",
                                                       "phone": "0912000111"}})
    act("motcua.yt", birth.code, "assign", assignee="chuyenvien.yt")
    client = login("motcua.yt")
    html = client.get(HOME, {"hang": "tat-ca", "q": "tinh trang hon nhan"}).content.decode()
    assert marriage.code in html and birth.code not in html
    html = client.get(HOME, {"hang": "tat-ca", "q": "015190000999"}).content.decode()
    assert birth.code in html and marriage.code not in html
    html = client.get(HOME, {"hang": "tat-ca", "status": "processing"}).content.decode()
    assert birth.code in html and marriage.code not in html
    assert "Bỏ lọc" in html


def test_htmx_filter_returns_only_the_results_fragment(login, receive):
    dossier = receive()
    response = login("motcua.yt").get(HOME, {"hang": "tat-ca"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert dossier.code in html
    assert "<html" not in html and 'class="queues"' not in html


def test_long_queues_are_paged(login, receive):
    codes = [receive().code for _ in range(21)]
    client = login("motcua.yt")
    first = client.get(HOME, {"hang": "moi"}).content.decode()
    second = client.get(HOME, {"hang": "moi", "page": 2}).content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert sum(code in first for code in codes) == 20 and sum(code in second for code in codes) == 1
    assert client.get(HOME, {"hang": "moi", "page": 9}).status_code == 404


def test_the_whole_archive_is_paged_without_counting_it(login, receive):
    """"Tất cả" can hold a unit's whole history: no badge count, no total, next/previous only."""
    codes = [receive().code for _ in range(21)]
    client = login("motcua.yt")
    first = client.get(HOME, {"hang": "tat-ca"}).content.decode()
    second = client.get(HOME, {"hang": "tat-ca", "page": 2}).content.decode()
    assert "Trang 1" in first and "Trang 1/" not in first and 'rel="next"' in first
    assert "Trang 2" in second and 'rel="next"' not in second and 'rel="prev"' in second
    assert sum(code in first for code in codes) == 20 and sum(code in second for code in codes) == 1
    assert "Mọi hồ sơ của đơn vị" in first
    assert client.get(HOME, {"hang": "tat-ca", "page": 9}).status_code == 404
    assert client.get(HOME, {"hang": "tat-ca", "page": "x"}).status_code == 404


def test_counter_home_offers_intake_and_specialist_home_does_not(login):
    assert reverse("office:intake") in login("motcua.yt").get(HOME).content.decode()
    assert reverse("office:intake") not in login("chuyenvien.yt").get(HOME).content.decode()


@pytest.mark.parametrize("username", ["thanhtra.yb", "admin"])
def test_inspectors_and_admins_see_a_read_only_overview(login, receive, username):
    dossier = receive()
    html = login(username).get(HOME, {"hang": "tat-ca"}).content.decode()
    assert dossier.code in html
    assert reverse("office:intake") not in html


def test_a_huge_list_counts_up_to_the_cap_and_still_pages(login, receive, monkeypatch):
    """Big lists count up to ``paging.COUNT_CAP`` ("Hơn …") instead of reading every row;
    the pages up to the cap still work. The cap is lowered to 3 for the test."""
    from motcua import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    codes = [receive().code for _ in range(5)]
    html = login("motcua.yt").get(HOME, {"hang": "moi"}).content.decode()
    assert "Hơn <strong>3</strong> hồ sơ" in html
    # Pages reach the cap and no further (10,000 is 500 full pages of 20): filter to go deeper.
    assert sum(code in html for code in codes) == 3
    # The badges of the working queues count exactly: all five are new (not yet assigned).
    assert '<span class="count">5</span>' in html


def test_a_result_decided_at_the_district_waits_in_the_communes_hand_back_queue(login, receive, act):
    """Liên thông: the district approves a commune's dossier; until it is sent back, it is
    still the commune counter's to return (CONTRACT §2), so it counts in "Chờ trả kết quả"
    there, though its current unit is the district."""
    dossier = receive()
    act("motcua.yt", dossier.code, "transfer", to_unit="YB.LY")
    act("lanhdao.ly", dossier.code, "assign", assignee="chuyenvien.ly")
    act("chuyenvien.ly", dossier.code, "propose")
    act("lanhdao.ly", dossier.code, "approve")
    html = login("motcua.yt").get(HOME, {"hang": "cho-tra"}).content.decode()
    assert queue_count(html, "Chờ trả kết quả") == 1 and dossier.code in html
    assert queue_count(html, "Hồ sơ mới") == 0
    # At the district it is decided and theirs too, until someone hands it back.
    district = login("motcua.ly").get(HOME, {"hang": "cho-tra"}).content.decode()
    assert queue_count(district, "Chờ trả kết quả") == 1
