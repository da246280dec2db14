"""Questions and feedback on the API (CONTRACT §2 ``GET/POST /questions``,
``POST /questions/{id}/answer``): ask → draft → approve → published, searchable without
diacritics, no personal data in public; bad input writes nothing."""

from __future__ import annotations

import pytest

PROCEDURE = "1.001193"  # performed by the communes (civil status)
CONTACT = {"name": "Nguyễn Thị Hoa", "phone": "0912 345 678", "email": "hoa@example.vn"}
QUESTION = ("Tôi là Nguyễn Thị Hoa, số 0912345678. Đăng ký khai sinh cho con "
            "khi bố mẹ chưa đăng ký kết hôn thì cần giấy tờ gì? Xem http://lua-dao.example/ nhé")


def _count():
    from motcua.voices.models import Question

    return Question.objects.count()


def test_ask_answer_approve_publish(api_as, client):
    from motcua.notifications.models import Notification
    from motcua.voices.models import Question

    r = client.post("/api/v1/questions", {"procedure": PROCEDURE, "question": QUESTION, "contact": CONTACT,
                                          "unit": "YB.LY.YT"}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open" and body["due_at"]
    item = Question.objects.get(pk=body["id"])
    assert item.unit.code == "YB.LY.YT" and item.contact_phone == "0912345678"
    # not public before it is answered
    assert client.get("/api/v1/questions", {"procedure": PROCEDURE}).json()["count"] == 0

    # a specialist of the unit drafts: not yet published, no one told
    drafted = api_as("chuyenvien.yt").post(f"/questions/{item.pk}/answer",
                                           {"answer": "Cần giấy chứng sinh và giấy tờ tùy thân của người đi đăng ký.",
                                            "publish": True})
    assert drafted.status_code == 200, drafted.content
    assert drafted.json()["status"] == "drafted"
    assert client.get("/api/v1/questions", {"procedure": PROCEDURE}).json()["count"] == 0
    assert not Notification.objects.filter(kind="question_answered").exists()

    # an officer of another unit cannot see or answer it
    assert api_as("lanhdao.mx").post(f"/questions/{item.pk}/answer", {"answer": "Không.", "publish": True}).status_code == 404

    # the leader approves (editing the text): published, the asker told by e-mail
    approved = api_as("lanhdao.yt").post(f"/questions/{item.pk}/answer", {
        "answer": "Cần giấy chứng sinh và giấy tờ tùy thân của người đi đăng ký; xem thêm trang thủ tục.",
        "publish": True})
    assert approved.status_code == 200 and approved.json()["status"] == "answered"
    told = Notification.objects.get(kind="question_answered")
    assert told.recipient == "hoa@example.vn" and "giấy chứng sinh" in told.body

    listed = client.get("/api/v1/questions", {"procedure": PROCEDURE}).json()
    assert listed["count"] == 1
    public = listed["items"][0]
    assert set(public) >= {"id", "procedure", "question", "answer", "answered_at", "unit"}
    assert public["unit"] == "YB.LY.YT" and public["procedure"] == PROCEDURE
    text = str(listed)
    for personal in ("Nguyễn Thị Hoa", "0912345678", "hoa@example.vn", "0912 345 678"):
        assert personal not in text
    assert "khai sinh" in public["question"]

    # searchable without diacritics
    assert client.get("/api/v1/questions", {"q": "dang ky khai sinh ket hon"}).json()["count"] == 1
    assert client.get("/api/v1/questions", {"q": "giay chung sinh"}).json()["count"] == 1
    assert client.get("/api/v1/questions", {"q": "ly hon"}).json()["count"] == 0

    # answered once: a second approval is 409
    again = api_as("lanhdao.yt").post(f"/questions/{item.pk}/answer", {"answer": "Khác.", "publish": True})
    assert again.status_code == 409


def test_leader_hides_a_published_question(api_as, client):
    from motcua.voices import services

    item = services.ask(PROCEDURE, "Lệ phí đăng ký khai sinh là bao nhiêu?", CONTACT, unit_code="YB.LY.YT")
    assert api_as("lanhdao.yt").post(f"/questions/{item.pk}/answer", {"answer": "Miễn lệ phí.", "publish": True}).status_code == 200
    assert client.get("/api/v1/questions").json()["count"] == 1
    from motcua.accounts.models import User
    from motcua.errors import Forbidden

    with pytest.raises(Forbidden):
        services.set_hidden(User.objects.get(username="chuyenvien.yt"), item.pk, True)
    services.set_hidden(User.objects.get(username="lanhdao.yt"), item.pk, True)
    assert client.get("/api/v1/questions").json()["count"] == 0


def test_unpublished_answer_reaches_the_asker_only(api_as, client, settings):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "sms": "demo-sms"}
    from motcua.voices import services

    item = services.ask(PROCEDURE, "Tôi muốn hỏi về hồ sơ riêng của gia đình tôi.", {"name": "A B", "phone": "0987654321"},
                        unit_code="YB.LY.YT")
    r = api_as("lanhdao.yt").post(f"/questions/{item.pk}/answer", {"answer": "Mời bạn đến Bộ phận Một cửa.", "publish": False})
    assert r.status_code == 200 and client.get("/api/v1/questions").json()["count"] == 0
    sms = Notification.objects.get(kind="question_answered")
    assert (sms.channel, sms.recipient) == ("sms", "84987654321") and "YB.LY.YT" not in sms.body


def test_counter_and_citizen_cannot_answer(api_as):
    from motcua.voices import services

    item = services.ask(PROCEDURE, "Câu hỏi về thời hạn giải quyết?", CONTACT, unit_code="YB.LY.YT")
    assert api_as("motcua.yt").post(f"/questions/{item.pk}/answer", {"answer": "Có.", "publish": True}).status_code == 403
    assert api_as("congdan").post(f"/questions/{item.pk}/answer", {"answer": "Có.", "publish": True}).status_code in (403, 404)


def test_officer_marks_spam(api_as, client):
    from motcua.accounts.models import User
    from motcua.errors import Conflict
    from motcua.voices import services
    from motcua.voices.models import State

    item = services.ask(PROCEDURE, "mua thuoc gia re tai http://spam.example", CONTACT, unit_code="YB.LY.YT")
    services.mark_spam(User.objects.get(username="motcua.yt"), item.pk)
    item.refresh_from_db()
    assert item.state == State.SPAM and item not in services.queue(User.objects.get(username="motcua.yt"))
    with pytest.raises(Conflict):
        services.answer(User.objects.get(username="lanhdao.yt"), item.pk, "Trả lời.", True)


def test_without_a_unit_the_question_goes_to_a_unit_performing_the_procedure(client, demo):
    from motcua.voices.models import Question

    r = client.post("/api/v1/questions", {"procedure": PROCEDURE, "question": "Đăng ký khai sinh ở đâu?",
                                          "contact": {"name": "B", "email": "b@example.vn"}}, content_type="application/json")
    assert r.status_code == 201
    item = Question.objects.get(pk=r.json()["id"])
    assert item.unit.level in item.procedure.levels.values_list("level", flat=True)


@pytest.mark.parametrize("body, field", [
    ({"procedure": PROCEDURE, "question": "", "contact": CONTACT}, "question"),
    ({"procedure": PROCEDURE, "question": "   ", "contact": CONTACT}, "question"),
    ({"procedure": PROCEDURE, "question": "x" * 2001, "contact": CONTACT}, "question"),
    ({"procedure": "9.999999", "question": "Câu hỏi hợp lệ đủ dài.", "contact": CONTACT}, "procedure"),
    ({"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": {"name": "A"}}, "contact.phone"),
    ({"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": {"name": "A", "phone": "12ab"}}, "contact.phone"),
    ({"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": {"name": "A", "email": "khong-phai-thu"}}, "contact.email"),
    ({"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": {"name": " ", "email": "a@b.vn"}}, "contact.name"),
    ({"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": CONTACT, "unit": "LC.NN"}, "unit"),
])
def test_bad_questions_are_422_and_write_nothing(client, demo, body, field):
    r = client.post("/api/v1/questions", body, content_type="application/json")
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["message"] and field in error["fields"], error
    assert _count() == 0


def test_nul_bytes_are_400(client, demo):
    r = client.post("/api/v1/questions", {"procedure": PROCEDURE, "question": "Câu hỏi\x00 có NUL", "contact": CONTACT},
                    content_type="application/json")
    assert r.status_code == 400 and _count() == 0


def test_asking_is_throttled_per_address(client, demo, settings):
    from motcua.operations.rates import parse_rate

    settings.RATE_ASK = parse_rate("2/hour")
    body = {"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": CONTACT}
    codes = [client.post("/api/v1/questions", body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [201, 201, 429] and _count() == 2


def test_asking_is_throttled_per_account(api_as, settings):
    from motcua.operations.rates import parse_rate

    settings.RATE_ASK_ACCOUNT = parse_rate("1/day")
    citizen = api_as("congdan")
    body = {"procedure": PROCEDURE, "question": "Câu hỏi hợp lệ đủ dài.", "contact": CONTACT}
    assert citizen.post("/questions", body).status_code == 201
    assert citizen.post("/questions", body).status_code == 429


# ------------------------------------------------------------------ feedback on one's own dossier

def test_citizen_sends_feedback_on_own_dossier_routed_to_its_unit(api_as, online_dossier):
    from motcua.voices.models import Kind, Question

    dossier = online_dossier()
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/feedback", {"text": "Hồ sơ của tôi đã quá hẹn mà chưa có kết quả."})
    assert r.status_code == 201, r.content
    item = Question.objects.get(pk=r.json()["id"])
    assert item.kind == Kind.FEEDBACK and item.dossier == dossier and item.unit == dossier.current_unit
    assert item.due_at > item.asked_at
    staff = api_as("chuyenvien.yt").get(f"/questions/{item.pk}")
    assert staff.status_code == 200 and staff.json()["dossier"] == dossier.code
    # answered, never published
    approved = api_as("lanhdao.yt").post(f"/questions/{item.pk}/answer", {"answer": "Đơn vị xin lỗi, sẽ trả trong tuần.", "publish": True})
    assert approved.json()["publish"] is False


def test_feedback_on_someone_elses_dossier_is_404(api_as, online_dossier):
    from motcua.accounts.models import Role, User

    dossier = online_dossier()
    User.objects.create_user("congdan2", password="x-motcua-2", role=Role.CITIZEN)
    r = api_as("congdan2").post(f"/dossiers/{dossier.code}/feedback", {"text": "Phản ánh hồ sơ người khác."})
    assert r.status_code == 404 and _count() == 0


def test_deadline_counts_working_days_on_the_units_calendar(demo, settings):
    import datetime as dt

    from motcua.catalog.models import Unit
    from motcua.voices import services
    from motcua.worktime.calendar import VN_TZ

    settings.ANSWER_DAYS_QUESTION = 3
    # CONTRACT §3's example: Wednesday 29/4/2026 10:00 + 3 working days → Wednesday 6/5 17:00
    at = dt.datetime(2026, 4, 29, 10, 0, tzinfo=VN_TZ)
    due = services.due_for("question", Unit.objects.get(code="YB.LY.YT"), at)
    assert due.astimezone(VN_TZ) == dt.datetime(2026, 5, 6, 17, 0, tzinfo=VN_TZ)
