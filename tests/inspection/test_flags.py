"""The inspectors' flags on dossiers built to trip each one and dossiers built to pass
(issue 20 §3): more than one supplement request, a step held past its share of the legal time,
untouched for N working days, a refusal without a reason. And the step shares themselves:
per procedure, and per level for liên thông."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.dossiers.data import THREE_DAY_COMMUNE, vn

NOW = vn(2026, 3, 9, 12, 0)  # Monday; three working days back: Wednesday 4 March 00:00
ASSIGN = {"assignee": "chuyenvien.yt"}
GOOD_REASON = {"note": "Hồ sơ không đủ điều kiện theo quy định"}

# Received Monday 2 March 09:00, three working days: due Thursday 17:00; the legal time is
# 30.5 working hours, so processing (55 %) may take 16.8 hours, assignment (10 %) 3 hours.
INTAKE = [("receive", "motcua.yt", vn(2026, 3, 2, 9, 0)), ("assign", "lanhdao.yt", vn(2026, 3, 2, 10, 0), ASSIGN)]
# 8 working hours of processing, then an hour for the approval and three for the return
PROMPT = [("propose", "chuyenvien.yt", vn(2026, 3, 3, 10, 0)), ("approve", "lanhdao.yt", vn(2026, 3, 3, 11, 0)),
          ("return_result", "motcua.yt", vn(2026, 3, 3, 14, 0))]
SLOW = [("propose", "chuyenvien.yt", vn(2026, 3, 5, 10, 0)), ("approve", "lanhdao.yt", vn(2026, 3, 5, 11, 0)),
        ("return_result", "motcua.yt", vn(2026, 3, 5, 14, 0))]  # 24 hours of processing
FINISH: list = []

CASES = [
    # (flag, walked steps, flagged?)
    ("multiple_supplements", INTAKE + [
        ("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 11, 0), {"note": "Thiếu tờ khai"}),
        ("supplement", "motcua.yt", vn(2026, 3, 2, 14, 0)),
        ("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 15, 0), {"note": "Thiếu bản sao"}),
        ("supplement", "motcua.yt", vn(2026, 3, 3, 8, 0))] + PROMPT + FINISH, True),
    ("multiple_supplements", INTAKE + [
        ("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 11, 0), {"note": "Thiếu tờ khai"}),
        ("supplement", "motcua.yt", vn(2026, 3, 2, 14, 0))] + PROMPT + FINISH, False),
    ("step_late", INTAKE + SLOW + FINISH, True),
    ("step_late", INTAKE + PROMPT + FINISH, False),
    ("step_late", [INTAKE[0], ("assign", "lanhdao.yt", vn(2026, 3, 3, 9, 0), ASSIGN)] + PROMPT + FINISH, True),
    ("unexplained_refusal", INTAKE + PROMPT[:1] + [("reject", "lanhdao.yt", vn(2026, 3, 3, 11, 0), {"note": "Không đạt"})], True),
    ("unexplained_refusal", INTAKE + PROMPT[:1] + [("reject", "lanhdao.yt", vn(2026, 3, 3, 11, 0), GOOD_REASON)], False),
    ("untouched", INTAKE, True),
    ("untouched", [INTAKE[0], ("assign", "lanhdao.yt", vn(2026, 3, 4, 10, 0), ASSIGN)], False),
    ("untouched", INTAKE + [("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 11, 0), {"note": "Thiếu tờ khai"})],
     False),  # waiting for the applicant: the clock stands
    ("untouched", INTAKE + PROMPT + FINISH, False),
]


def _query():
    from motcua.accounts.models import User
    from motcua.reports.services import report_query

    return report_query(User.objects.get(username="thanhtra.yb"), "YB.LY.YT", "2026-03-01", "2026-03-31")


@pytest.mark.parametrize(("flag", "steps", "flagged"), CASES, ids=[f"{c[0]}-{'trips' if c[2] else 'passes'}-{i}" for i, c in enumerate(CASES)])
def test_flag(walk, flag, steps, flagged):
    from motcua.inspection import officers

    dossier = walk(steps)
    query = _query()
    listed = set(officers.figure_dossiers(query, None, None, flag, now=NOW).values_list("code", flat=True))
    assert (dossier.code in listed) is flagged
    counts = officers.flag_counts(query, now=NOW)
    assert counts[flag] == (1 if flagged else 0)


def test_flags_go_to_the_officer_who_did_it(walk):
    from motcua.inspection import officers

    walk(INTAKE + [("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 11, 0), {"note": "Thiếu tờ khai"}),
                   ("supplement", "motcua.yt", vn(2026, 3, 2, 14, 0)),
                   ("request_supplement", "chuyenvien.yt", vn(2026, 3, 2, 15, 0), {"note": "Thiếu bản sao"}),
                   ("supplement", "motcua.yt", vn(2026, 3, 3, 8, 0))] + SLOW[:1]
         + [("reject", "lanhdao.yt", vn(2026, 3, 5, 11, 0), {"note": "Không đạt"})])
    walk(INTAKE)  # left untouched, assigned to chuyenvien.yt
    rows = {r["officer"]: r for r in officers.officers_report(_query(), now=NOW)["items"]}
    specialist, leader, counter = rows["chuyenvien.yt"], rows["lanhdao.yt"], rows["motcua.yt"]
    assert specialist["flags"] == {"multiple_supplements": 1, "step_late": 1, "untouched": 1, "unexplained_refusal": 0}
    assert specialist["supplement_requests"] == 1 and specialist["late"] == 1 and specialist["handled"] == 1
    assert leader["flags"]["unexplained_refusal"] == 1 and leader["refusals"] == 1
    assert leader["flags"]["multiple_supplements"] == 0
    assert counter["late"] == 0 and counter["handled"] == 2


def test_a_procedure_may_give_a_step_more_time(walk):
    """The same slow processing is on time when the procedure gives processing 90 % of its time."""
    from motcua.catalog.models import Procedure, StepShare
    from motcua.dossiers.steps import dossier_steps

    slow = walk(INTAKE + SLOW + FINISH)
    assert [s.late for s in dossier_steps(slow) if s.kind == "processing"] == [True]
    StepShare.objects.create(procedure=Procedure.objects.get(code=THREE_DAY_COMMUNE), step="processing", share=Decimal(90))
    assert [s.late for s in dossier_steps(slow) if s.kind == "processing"] == [False]


def test_lien_thong_shares_split_the_time_between_levels(walk):
    """Processed at the commune for 3.5 hours, then at the district for 14.5: with the commune's
    processing at 25 % (7.6 h) and the district's at 30 % (9.2 h), only the district's step is late."""
    from motcua.catalog.models import Procedure, StepShare
    from motcua.dossiers.steps import dossier_steps
    from motcua.inspection.models import HandlingStep

    proc = Procedure.objects.get(code=THREE_DAY_COMMUNE)
    StepShare.objects.create(procedure=proc, level="commune", step="processing", share=Decimal(25))
    StepShare.objects.create(procedure=proc, level="district", step="processing", share=Decimal(30))
    dossier = walk(INTAKE + [
        ("transfer", "chuyenvien.yt", vn(2026, 3, 2, 15, 0), {"to_unit": "YB.LY", "note": "Chuyển huyện thẩm định"}),
        ("assign", "lanhdao.ly", vn(2026, 3, 3, 8, 0), {"assignee": "chuyenvien.ly"}),
        ("propose", "chuyenvien.ly", vn(2026, 3, 4, 16, 0))])
    processing = [(s.level, round(s.worked_seconds / 3600, 2), s.late) for s in dossier_steps(dossier) if s.kind == "processing"]
    assert processing == [("commune", 3.5, False), ("district", 14.5, True)]
    # The stored steps were written as the events happened, with the shares of that moment.
    stored = HandlingStep.objects.filter(dossier=dossier, kind="processing").order_by("seq")
    assert [(s.unit.code, s.officer.username) for s in stored] == [("YB.LY.YT", "chuyenvien.yt"), ("YB.LY", "chuyenvien.ly")]


@pytest.mark.parametrize(("note", "given"), [("", False), ("x", False), ("Không đạt", False),
                                              ("Thiếu giấy tờ bắt buộc", True), (GOOD_REASON["note"], True)])
def test_a_reason_is_three_words_or_more(note, given):
    from motcua.dossiers.steps import reason_given

    assert reason_given(note) is given
