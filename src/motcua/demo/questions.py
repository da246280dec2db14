"""Demo questions for ``motcua seed-demo --history`` (issue 20 §1): answered, published
questions on the demo communes' common procedures (shown on their pages and at /hoi-dap/),
a few still open in the units' queues, and feedback on a demo dossier. Invented askers
(``@example.vn`` addresses, numbers no network gives out); written once, without notifying."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.catalog.text import fold
from motcua.voices import services
from motcua.voices.models import Kind, Question, State

# (procedure, unit, question, answer or "" for still open)
QUESTIONS = [
    ("1.001193", "YB.LY.YT", "Con tôi sinh ở nhà, không có giấy chứng sinh thì đăng ký khai sinh thế nào?",
     "Thay giấy chứng sinh bằng văn bản của người làm chứng xác nhận việc sinh; không có người làm chứng thì "
     "làm giấy cam đoan về việc sinh (Luật Hộ tịch, Điều 16)."),
    ("1.001193", "YB.LY.MX", "Quá 60 ngày mới đi đăng ký khai sinh cho cháu có bị phạt không?",
     "Đăng ký khai sinh quá hạn vẫn được giải quyết như bình thường; công chức tư pháp – hộ tịch sẽ hướng dẫn "
     "và có thể nhắc nhở, không thu lệ phí với trẻ em."),
    ("1.001193", "YB.LY.YT", "Có thể đăng ký khai sinh trực tuyến rồi nhận kết quả qua bưu điện không?",
     "Được. Nộp hồ sơ trực tuyến, chọn nhận kết quả qua bưu chính và ghi địa chỉ nhận; phí gửi bưu chính do "
     "người nhận trả."),
    ("1.004873", "YB.LY.YT", "Giấy xác nhận tình trạng hôn nhân có giá trị bao lâu?",
     "Giấy xác nhận tình trạng hôn nhân có giá trị 6 tháng kể từ ngày cấp."),
    ("1.004873", "LC.NN.NM", "Tôi làm việc ở tỉnh khác thì xin xác nhận tình trạng hôn nhân ở đâu?",
     "Tại Ủy ban nhân dân cấp xã nơi bạn thường trú; có thể nộp trực tuyến trên Cổng và nhận kết quả điện tử."),
    ("1.001193", "LC.NN.NM", "Bố mẹ chưa đăng ký kết hôn thì khai sinh cho con ghi tên bố được không?",
     ""),
    ("1.004873", "YB.LY.MX", "Xin xác nhận tình trạng hôn nhân để vay vốn ngân hàng cần mang gì?", ""),
]


def seed_questions(today: dt.date | None = None) -> int:
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure, Unit

    if Question.objects.filter(contact_email__endswith="@example.vn", kind=Kind.QUESTION).exists():
        return 0
    now = timezone.now()
    added = 0
    for n, (code, unit_code, text, answer) in enumerate(QUESTIONS):
        procedure = Procedure.objects.filter(code=code).first()
        unit = Unit.objects.filter(code=unit_code).first()
        if procedure is None or unit is None:
            continue
        asked = now - dt.timedelta(days=40 - 5 * n, hours=3)
        item = Question(kind=Kind.QUESTION, procedure=procedure, unit=unit, text=text,
                        contact_name=f"Người hỏi mẫu {n + 1}", contact_email=f"hoi{n + 1}@example.vn",
                        asked_at=asked, due_at=services.due_for(Kind.QUESTION, unit, asked))
        if answer:
            suffix = unit_code.rsplit(".", 1)[-1].lower()
            leader = User.objects.filter(username=f"lanhdao.{suffix}").first()
            specialist = User.objects.filter(username=f"chuyenvien.{suffix}").first()
            answered = asked + dt.timedelta(days=2)
            item.state, item.answer, item.publish = State.ANSWERED, answer, True
            item.drafted_by, item.drafted_at = specialist, answered - dt.timedelta(hours=4)
            item.answered_by, item.answered_at = leader, answered
            item.public_question = services.mask(text, item)
            item.search_text = fold(f"{item.public_question} {answer}")
        item.save()
        added += 1
    return added + _seed_feedback()


def _seed_feedback() -> int:
    from motcua.demo.history import CODE_PREFIX
    from motcua.dossiers.models import Dossier, Status

    dossier = (Dossier.objects.filter(code__startswith=f"{CODE_PREFIX}-", status=Status.APPROVED, unit__code="YB.LY.YT")
               .select_related("procedure", "current_unit").order_by("-resolved_at").first())
    if dossier is None:
        return 0
    asked = dossier.resolved_at + dt.timedelta(hours=2)
    Question.objects.create(kind=Kind.FEEDBACK, procedure=dossier.procedure, dossier=dossier, unit=dossier.current_unit,
                            text="Tôi phải đến bộ phận một cửa hai lần vì lần đầu chưa được hướng dẫn đủ giấy tờ.",
                            contact_name="Người phản ánh mẫu", contact_email="phananh@example.vn", asked_at=asked,
                            due_at=services.due_for(Kind.FEEDBACK, dossier.current_unit, asked))
    return 1
