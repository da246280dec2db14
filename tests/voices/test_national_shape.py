"""Questions shaped for the national portal (shared/domain/national-systems.md "Q&A"): DongBoHoiDap
carries the public text only; a question from the portal is kept once per HOIDAPID."""

from __future__ import annotations


def test_dong_bo_hoi_dap_and_its_answer(demo):
    from motcua.accounts.models import User
    from motcua.national.contrib.dvcqg.questions import dong_bo_hoi_dap, ket_qua_hoi_dap
    from motcua.voices import services

    item = services.ask("1.001193", "Tôi là Trần Văn Nam, gọi 0912345678: khai sinh quá hạn thì sao?",
                        {"name": "Trần Văn Nam", "phone": "0912345678"}, unit_code="YB.LY.YT")
    item = services.answer(User.objects.get(username="lanhdao.yt"), item.pk, "Vẫn đăng ký được, không bị phạt.", True)
    pushed = dong_bo_hoi_dap(item)
    assert set(pushed) == {"HOIDAPID", "MaLinhVuc", "NOIDUNG", "MADONVI", "TENDONVI"}
    assert pushed["HOIDAPID"] == f"MC-{item.pk}" and pushed["MaLinhVuc"] == item.procedure.field.code
    assert "Trần Văn Nam" not in pushed["NOIDUNG"] and "0912345678" not in pushed["NOIDUNG"]
    assert "khai sinh quá hạn" in pushed["NOIDUNG"]
    result = ket_qua_hoi_dap(item)
    assert set(result) == {"HOIDAPID", "MADONVI", "NGUOITRALOI", "CHUCVUNGUOITRALOI", "NGAYTRALOI", "NOIDUNGTRALOI"}
    assert len(result["NGAYTRALOI"]) == 14 and result["NOIDUNGTRALOI"].startswith("Vẫn đăng ký")


def test_a_portal_question_is_kept_once(demo):
    from motcua.national.contrib.dvcqg.questions import receive_national_question
    from motcua.voices.models import Question, Source

    row = {"HOIDAPID": "HD-42", "MALINHVUC": "x", "MATTHCDP": "1.001193", "MADONVI": "YB.LY.YT", "TENDONVI": "",
           "NOIDUNG": "Đăng ký khai sinh trực tuyến được không?", "HOVATEN": "Lò Thị Dung", "THUDIENTU": "dung@example.vn",
           "SODIENTHOAI": "", "DIACHI": ""}
    first = receive_national_question(row)
    again = receive_national_question(row)
    assert first.pk == again.pk and Question.objects.count() == 1
    assert first.source == Source.NATIONAL_PORTAL and first.unit.code == "YB.LY.YT"
