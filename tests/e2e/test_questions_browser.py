"""A question asked on a 360 px phone, answered by the commune (a specialist drafts, the
leader approves), then read on the procedure's page — headless Chromium (issue 20 §1).
Screenshots: ``test-artifacts/questions-*.png``."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_office_journey import officer  # noqa: F401  (the officers' browsers)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
PROCEDURE = "1.001193"


def test_question_asked_on_a_phone_is_answered_and_published(live_server, page, officer, screenshot):  # noqa: F811
    from playwright.sync_api import expect

    from motcua.demo.catalog import seed_demo
    from motcua.voices.models import Question

    seed_demo()
    base = live_server.url
    page.goto(f"{base}/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Gửi câu hỏi về thủ tục này").click()
    page.wait_for_url(re.compile(rf"/thu-tuc/{re.escape(PROCEDURE)}/hoi-dap/$"))
    page.get_by_label("Hỏi đơn vị").select_option("YB.LY.YT")
    page.get_by_label("Câu hỏi", exact=True).fill("Con tôi sinh ở nhà, không có giấy chứng sinh thì đăng ký khai sinh thế nào? <b>gấp</b>")
    page.get_by_label("Họ và tên").fill("Mùa A Páo")
    page.get_by_label("Số điện thoại").fill("0912 555 666")
    screenshot(page, "questions-1-ask")
    assert page.evaluate(NO_SIDEWAYS)
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.locator(".msg.success")).to_contain_text("Câu hỏi đã được gửi tới Thị trấn Yên Thế")
    item = Question.objects.get()

    specialist = officer("chuyenvien.yt")
    specialist.goto(f"{base}/can-bo/hoi-dap/")
    specialist.get_by_role("link", name=re.compile(rf"#{item.pk} ")).click()
    specialist.get_by_label("Dự thảo câu trả lời").fill("Cần văn bản xác nhận của người làm chứng về việc sinh.")
    specialist.get_by_role("button", name="Lưu dự thảo").click()
    expect(specialist.locator(".msg.success")).to_contain_text("chờ lãnh đạo duyệt")

    leader = officer("lanhdao.yt", phone=True)
    leader.goto(f"{base}/can-bo/hoi-dap/{item.pk}/")
    expect(leader.get_by_label("Câu trả lời (lãnh đạo duyệt và gửi)")).to_have_value(
        "Cần văn bản xác nhận của người làm chứng về việc sinh.")
    leader.get_by_role("button", name="Duyệt và gửi trả lời").click()
    expect(leader.locator(".msg.success")).to_contain_text("Đã duyệt")
    assert leader.evaluate(NO_SIDEWAYS)

    page.goto(f"{base}/thu-tuc/{PROCEDURE}/")
    qa = page.locator("section", has=page.get_by_role("heading", name="Hỏi đáp"))
    expect(qa).to_contain_text("người làm chứng")
    expect(qa).to_contain_text("<b>gấp</b>")  # markup shown as text
    expect(qa).not_to_contain_text("Mùa A Páo")
    screenshot(page, "questions-2-published")
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(f"{base}/hoi-dap/?q=giay+chung+sinh")
    expect(page.locator("main")).to_contain_text("người làm chứng")
