"""The online form as data: one check of a definition, one check of the answers, by type."""

from __future__ import annotations

import pytest

from motcua.catalog.formfields import answers_for_display, check_answers, clean_value, definition_problems


def field(type_, **extra):
    return {"name": "x", "label": "Trường X", "type": type_, "required": True, **extra}


@pytest.mark.parametrize("type_, given, expected", [
    ("text", "  Để   đăng ký kết hôn ", "Để đăng ký kết hôn"),
    ("text", 12, "12"),
    ("textarea", " dòng 1\ndòng 2 ", "dòng 1\ndòng 2"),
    ("date", "2024-12-25", "2024-12-25"),
    ("date", "25/12/2024", "2024-12-25"),
    ("date", "5/1/2024", "2024-01-05"),
    ("number", "3", 3),
    ("number", 2, 2),
    ("number", "2,5", 2.5),
    ("number", "1.500.000", 1500000),
    ("choice", "Nữ", "Nữ"),
    ("id_number", "015 200 001 111", "015200001111"),
    ("id_number", "015.200.001.111", "015200001111"),
    ("phone", "0912 345 678", "0912345678"),
    ("phone", "+84912345678", "+84912345678"),
    ("email", " an@example.vn ", "an@example.vn"),
])
def test_valid_answers_are_cleaned_by_type(type_, given, expected):
    f = field(type_, choices=["Nam", "Nữ"]) if type_ == "choice" else field(type_)
    assert clean_value(f, given) == expected


@pytest.mark.parametrize("type_, given, message", [
    ("text", "x" * 501, "Dài quá 500"),
    ("text", ["a"], "Phải là chữ"),
    ("textarea", "x" * 4001, "Dài quá 4000"),
    ("date", "2024-02-30", "Ngày không hợp lệ"),
    ("date", "31/13/2024", "Ngày không hợp lệ"),
    ("date", "1800-01-01", "Năm phải từ 1900"),
    ("date", 20240101, "Ngày không hợp lệ"),
    ("number", "ba", "Phải là một số"),
    ("number", True, "Phải là một số"),
    ("number", "1e400", "Số không hợp lệ"),
    ("number", "NaN", "Số không hợp lệ"),
    ("choice", "Khác", "Chọn một trong: Nam; Nữ"),
    ("choice", 1, "Chọn một trong"),
    ("id_number", "01520000111", "đúng 12 chữ số"),
    ("id_number", "01520000111a", "đúng 12 chữ số"),
    ("phone", "12345", "Số điện thoại không hợp lệ"),
    ("email", "an@", "thư điện tử không hợp lệ"),
])
def test_invalid_answers_name_the_problem_in_vietnamese(type_, given, message):
    f = field(type_, choices=["Nam", "Nữ"]) if type_ == "choice" else field(type_)
    with pytest.raises(ValueError, match=message):
        clean_value(f, given)


FORM = [
    {"name": "purpose", "label": "Mục đích sử dụng", "type": "text", "required": True},
    {"name": "since", "label": "Từ ngày", "type": "date", "required": False},
    {"name": "copies", "label": "Số bản", "type": "number", "required": True},
]


def test_answers_are_checked_together_and_keyed_data_name():
    data, problems = check_answers(FORM, {"purpose": "  ", "since": "hôm qua", "copies": "2"})
    assert problems == {
        "data.purpose": ["Vui lòng điền “Mục đích sử dụng”."],
        "data.since": ["Ngày không hợp lệ (ví dụ 25/12/2024)."],
    }
    assert data["copies"] == 2


def test_required_answers_may_wait_when_not_asked_for_and_other_keys_stay():
    data, problems = check_answers(FORM, {"received_papers": ["Tờ khai"]}, require=False)
    assert problems == {} and data == {"received_papers": ["Tờ khai"]}
    _, problems = check_answers(FORM, {"copies": "nhiều"}, require=False)
    assert list(problems) == ["data.copies"]


def test_review_rows_follow_the_form_and_show_dates_as_people_write_them():
    data, _ = check_answers(FORM, {"purpose": "Kết hôn", "since": "2020-03-01", "copies": 1})
    assert answers_for_display(FORM, data) == [("Mục đích sử dụng", "Kết hôn"), ("Từ ngày", "01/03/2020"), ("Số bản", "1")]


@pytest.mark.parametrize("form, where", [
    ("nope", "form"),
    ([{"name": "Bad Name", "label": "A", "type": "text"}], "form[0].name"),
    ([{"name": "delivery", "label": "A", "type": "text"}], "form[0].name"),
    ([{"name": "a", "label": "A", "type": "text"}, {"name": "a", "label": "B", "type": "text"}], "form[1].name"),
    ([{"name": "a", "label": "", "type": "text"}], "form[0].label"),
    ([{"name": "a", "label": "A", "type": "colour"}], "form[0].type"),
    ([{"name": "a", "label": "A", "type": "choice"}], "form[0].choices"),
    ([{"name": "a", "label": "A", "type": "choice", "choices": ["x", "x"]}], "form[0].choices"),
    ([{"name": "a", "label": "A", "type": "text", "choices": ["x"]}], "form[0].choices"),
    ([{"name": "a", "label": "A", "type": "text", "required": "yes"}], "form[0].required"),
    ([{"name": "a", "label": "A", "type": "text", "colour": "red"}], "form[0]"),
])
def test_a_badly_made_form_is_refused_with_its_path(form, where):
    assert where in definition_problems(form)


def test_the_seeded_forms_are_well_made(demo):
    from motcua.catalog.models import Procedure

    for p in Procedure.objects.all():
        assert definition_problems(p.form) == {}, p.code
    marital = Procedure.objects.get(code="1.004873")
    assert "purpose" in [f["name"] for f in marital.form]
    birth = {f["name"]: f for f in Procedure.objects.get(code="1.001193").form}
    assert {"child_full_name", "child_birth_date", "child_birth_place"} <= set(birth)
    assert birth["child_birth_date"]["type"] == "date"
