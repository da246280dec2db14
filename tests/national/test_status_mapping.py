"""Motcua's statuses and events in the national portal's codes, one row per value
(shared/domain/national-systems.md §1.4: 3 = refused at intake, 8 = stopped after acceptance;
§1.2 KenhThucHien, HinhThuc, DinhDanhCHS, dates ``yyyyMMddHHmmss`` in Vietnam time)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from motcua.dossiers.models import Channel, Delivery, Status
from motcua.national.contrib.dvcqg import mapping as m

STATUS_ROWS = [
    (Status.SUBMITTED, 1),            # Mới đăng ký
    (Status.RECEIVED, 2),             # Được tiếp nhận
    (Status.REFUSED, 3),              # Không được tiếp nhận: refused at intake, never received
    (Status.PROCESSING, 4),           # Đang xử lý
    (Status.AWAITING_APPROVAL, 4),    # still processing: waiting for the leader
    (Status.AWAITING_SUPPLEMENT, 5),  # Yêu cầu bổ sung giấy tờ
    (Status.WITHDRAWN, 7),            # Công dân yêu cầu rút hồ sơ
    (Status.REJECTED, 8),             # Dừng xử lý: not resolved, after acceptance
    (Status.APPROVED, 9),             # Đã xử lý xong
    (Status.RESULT_RETURNED, 10),     # Đã trả kết quả
]


def test_every_status_has_exactly_one_row():
    assert sorted(s for s, _ in STATUS_ROWS) == sorted(Status.values)
    assert set(m.STATUS_CODES) == set(Status.values)


@pytest.mark.parametrize(("status", "code"), STATUS_ROWS, ids=[s for s, _ in STATUS_ROWS])
def test_status_maps_to_trang_thai_ho_so(status, code):
    assert m.STATUS_CODES[status] == code


def event(action, to_status, changes=None):
    return SimpleNamespace(action=action, to_status=to_status, changes=changes or {})


@pytest.mark.parametrize(("action", "to_status", "changes", "code"), [
    ("submit", "submitted", None, 1),
    ("receive", "received", None, 2),
    ("accept", "received", None, 2),
    ("refuse", "refused", None, 3),
    ("assign", "processing", None, 4),
    ("request_supplement", "awaiting_supplement", None, 5),
    ("payment", "received", {"payment": {"status": ["", "pending"]}}, 6),  # a fee order asked for
    ("withdraw", "withdrawn", None, 7),
    ("reject", "rejected", None, 8),
    ("approve", "approved", None, 9),
    ("return_result", "result_returned", None, 10),
    ("pay_fee", "processing", None, 4),  # paid: the status the dossier is in
    ("payment", "received", {"payment": {"status": ["pending", "cancelled"]}}, None),  # a cancellation is no step
    ("upload_document", "received", None, None),
    ("rate", "result_returned", None, None),
])
def test_event_to_progress_step(action, to_status, changes, code):
    assert m.step_code(event(action, to_status, changes)) == code


@pytest.mark.parametrize(("channel", "code"), [(Channel.DIRECT, 1), (Channel.ONLINE, 2), (Channel.POSTAL, 3)])
def test_kenh_thuc_hien(channel, code):
    assert m.CHANNEL_CODES[channel] == code
    assert set(m.CHANNEL_CODES) == set(Channel.values)


@pytest.mark.parametrize(("delivery", "code"), [(Delivery.COUNTER, 0), (Delivery.POST, 1), (Delivery.ELECTRONIC, 0)])
def test_hinh_thuc(delivery, code):
    assert m.DELIVERY_CODES[delivery] == code
    assert set(m.DELIVERY_CODES) == set(Delivery.values)


@pytest.mark.parametrize(("number", "expected"), [
    ("015090001234", [{"LoaiDinhDanh": "1", "SoDinhDanh": "015090001234"}]),  # CCCD, 12 digits
    ("123456789", [{"LoaiDinhDanh": "2", "SoDinhDanh": "123456789"}]),        # CMND, 9 digits
    ("", []),
])
def test_dinh_danh_chu_ho_so(number, expected):
    assert m.id_documents(number) == expected


def test_dates_are_fourteen_digits_in_vietnam_time():
    utc = dt.datetime(2026, 5, 6, 10, 0, 5, tzinfo=dt.timezone.utc)
    assert m.national_date(utc) == "20260506170005"
    assert m.national_date(None) == ""
    assert m.parse_national_date("20260506170005") == utc
    assert m.parse_national_date("2026-05-06T17:00:05+07:00") == utc
    assert m.parse_national_date("06/05/2026") is None
