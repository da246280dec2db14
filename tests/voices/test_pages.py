"""The pages of questions and feedback (CONTRACT §7 ``/hoi-dap/``, ``/thu-tuc/{code}/hoi-dap/``,
the unit's ``/can-bo/hoi-dap/``, the citizen's ``/ho-so-cua-toi/{code}/phan-anh/``)."""

from __future__ import annotations

import pytest

PROCEDURE = "1.001193"
ASK = f"/thu-tuc/{PROCEDURE}/hoi-dap/"
MARKUP = '<script>alert("x")</script><a href="http://lua-dao.example/">bấm vào đây</a> http://lua-dao.example/nhan-tien'


def _items():
    from motcua.voices.models import Question

    return list(Question.objects.all())


def _login(client, username):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username=username))
    return client


def test_ask_on_the_procedure_page_then_answer_and_publish(client, demo):
    from django.test import Client

    page = client.get(f"/thu-tuc/{PROCEDURE}/").content.decode()
    assert ASK in page
    r = client.post(ASK, {"unit": "YB.LY.YT", "question": "Hỏi về giấy tờ: " + MARKUP, "name": "Lê Văn Tám",
                          "phone": "0987 111 222", "email": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    [item] = _items()
    assert item.unit.code == "YB.LY.YT" and item.text.endswith("nhan-tien")

    # the unit's queue and page, markup shown as text
    staff = _login(Client(), "chuyenvien.yt")
    queue = staff.get("/can-bo/hoi-dap/").content.decode()
    assert f"/can-bo/hoi-dap/{item.pk}/" in queue and "<script>alert" not in queue
    detail = staff.get(f"/can-bo/hoi-dap/{item.pk}/").content.decode()
    assert "&lt;script&gt;" in detail and "<script>alert" not in detail and 'href="http://lua-dao' not in detail
    assert "Lưu dự thảo" in detail and "Duyệt và gửi" not in detail
    staff.post(f"/can-bo/hoi-dap/{item.pk}/thao-tac/", {"thao-tac": "answer", "answer": "Mang giấy chứng sinh.", "publish": "1"})
    item.refresh_from_db()
    assert item.state == "drafted"

    leader = _login(Client(), "lanhdao.yt")
    assert "Duyệt và gửi trả lời" in leader.get(f"/can-bo/hoi-dap/{item.pk}/").content.decode()
    leader.post(f"/can-bo/hoi-dap/{item.pk}/thao-tac/", {"thao-tac": "answer", "answer": "Mang giấy chứng sinh bản chính.",
                                                        "publish": "1"})
    item.refresh_from_db()
    assert item.state == "answered" and item.publish

    public = Client()
    for url in (f"/thu-tuc/{PROCEDURE}/", ASK, "/hoi-dap/?q=giay+chung+sinh"):
        text = public.get(url).content.decode()
        assert "Mang giấy chứng sinh bản chính." in text, url
        assert "Lê Văn Tám" not in text and "0987" not in text
        assert "<script>alert" not in text and 'href="http://lua-dao' not in text and "&lt;script&gt;" in text
    assert "Mang giấy chứng sinh" not in public.get("/hoi-dap/?q=ket+hon").content.decode()

    # the leader hides it: gone from public pages
    leader.post(f"/can-bo/hoi-dap/{item.pk}/thao-tac/", {"thao-tac": "hide"})
    assert "Mang giấy chứng sinh" not in public.get(ASK).content.decode()


@pytest.mark.parametrize("form, message", [
    ({"question": "", "name": "A", "phone": "0987111222"}, "Vui lòng nhập nội dung"),
    ({"question": "x" * 2001, "name": "A", "phone": "0987111222"}, "tối đa 2000 ký tự"),
    ({"question": "Câu hỏi đủ dài rồi.", "name": "", "phone": "0987111222"}, "Vui lòng cho biết họ tên"),
    ({"question": "Câu hỏi đủ dài rồi.", "name": "A", "phone": "", "email": ""}, "Cần số điện thoại hoặc thư điện tử"),
])
def test_bad_questions_get_a_vietnamese_message_and_write_nothing(client, demo, form, message):
    r = client.post(ASK, form)
    assert r.status_code == 422 and message in r.content.decode()
    assert _items() == []


def test_the_general_page_asks_for_a_procedure(client, demo):
    r = client.post("/hoi-dap/", {"procedure": "", "question": "Câu hỏi đủ dài rồi.", "name": "A", "phone": "0987111222"})
    assert r.status_code == 422 and "Chọn một thủ tục" in r.content.decode() and _items() == []
    r = client.post("/hoi-dap/", {"procedure": PROCEDURE, "question": "Câu hỏi đủ dài rồi.", "name": "A", "phone": "0987111222"})
    assert r.status_code == 302 and len(_items()) == 1


def test_the_page_is_throttled_per_address(client, demo, settings):
    from motcua.operations.rates import parse_rate

    settings.RATE_ASK = parse_rate("1/hour")
    form = {"question": "Câu hỏi đủ dài rồi.", "name": "A", "phone": "0987111222"}
    assert client.post(ASK, form).status_code == 302
    r = client.post(ASK, form)
    assert r.status_code == 429 and "Quá nhiều yêu cầu" in r.content.decode() and len(_items()) == 1


def test_officers_of_another_unit_and_citizens_cannot_open_an_item(client, demo):
    from django.test import Client

    from motcua.voices import services

    item = services.ask(PROCEDURE, "Câu hỏi đủ dài rồi.", {"name": "A", "phone": "0987111222"}, unit_code="YB.LY.YT")
    assert _login(Client(), "chuyenvien.mx").get(f"/can-bo/hoi-dap/{item.pk}/").status_code == 404
    assert _login(Client(), "chuyenvien.mx").post(f"/can-bo/hoi-dap/{item.pk}/thao-tac/", {"thao-tac": "spam"}).status_code == 404
    assert _login(Client(), "congdan").get(f"/can-bo/hoi-dap/{item.pk}/").status_code == 302  # to the portal
    counter = _login(Client(), "motcua.yt")
    counter.post(f"/can-bo/hoi-dap/{item.pk}/thao-tac/", {"thao-tac": "spam"})
    item.refresh_from_db()
    assert item.state == "spam"


def test_citizen_sends_feedback_from_the_dossier_page(client, online_dossier):
    dossier = online_dossier()
    _login(client, "congdan")
    assert f"/ho-so-cua-toi/{dossier.code}/phan-anh/" in client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    empty = client.post(f"/ho-so-cua-toi/{dossier.code}/phan-anh/", {"text": "  "})
    assert empty.status_code == 422 and _items() == []
    r = client.post(f"/ho-so-cua-toi/{dossier.code}/phan-anh/", {"text": "Cán bộ hẹn nhiều lần <b>không</b> trả."})
    assert r.status_code == 302
    [item] = _items()
    assert item.kind == "feedback" and item.dossier == dossier and item.unit == dossier.current_unit
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/phan-anh/").content.decode()
    assert "&lt;b&gt;không&lt;/b&gt;" in page


def test_feedback_page_of_someone_elses_dossier_is_404(client, online_dossier):
    from motcua.accounts.models import Role, User

    dossier = online_dossier()
    client.force_login(User.objects.create_user("congdan2", password="x-motcua-2", role=Role.CITIZEN))
    assert client.post(f"/ho-so-cua-toi/{dossier.code}/phan-anh/", {"text": "Phản ánh hồ sơ của người khác."}).status_code == 404
    assert _items() == []
