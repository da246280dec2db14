"""``make run DEMO_HISTORY=1`` (``seed-demo --history``) shows answered questions on procedure
pages and survey results in the dashboard; a second run adds nothing."""

from __future__ import annotations

from django.core.management import call_command


def test_demo_history_brings_questions_and_surveys(db, client):
    from motcua.accounts.models import User
    from motcua.feedback.models import Survey
    from motcua.voices.models import Question

    call_command("seed_demo", "--history", verbosity=0)
    surveys, questions = Survey.objects.count(), Question.objects.count()
    assert surveys > 50 and questions >= 5
    assert Survey.objects.filter(access=1).exists() or Survey.objects.filter(officers=1).exists() or \
        Survey.objects.filter(result=1).exists() or Survey.objects.filter(procedure=1).exists() or \
        Survey.objects.filter(feedback=1).exists()
    call_command("seed_demo", "--history", verbosity=0)
    assert (Survey.objects.count(), Question.objects.count()) == (surveys, questions)

    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert "người làm chứng" in page and "Người hỏi mẫu" not in page and "@example.vn" not in page
    client.force_login(User.objects.get(username="lanhdao.ly"))
    dashboard = client.get("/can-bo/bang-dieu-khien/", {"unit": "YB.LY", "children": "1"}).content.decode()
    assert "Mức độ hài lòng của người dân" in dashboard and "phiếu khảo sát trả lời trong kỳ" in dashboard
    assert "0 phiếu khảo sát" not in dashboard
