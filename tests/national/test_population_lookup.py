"""Issue 18 §7: the population database looked up at the counter, against the gateway's simulator
served on loopback by the live server (SOAP and JSON, shared/domain/national-systems.md §4).

The officer types an ID number and presses the lookup button: the intake form comes back filled;
taking the dossier in joins the lookup to it, and its national record then names the population
database (``DSKetNoiCSDL``, the scorecard's 4.5). Every lookup is in the audit table with the
officer, the purpose or dossier and the time; nothing personal reaches the log. Not configured:
the button says so. The gateway timing out or failing: the officer types the data by hand.
"""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest

from tests.national.conftest import reload_urls

INTAKE = "/can-bo/tiep-nhan/"
MARRIAGE = "1.004873"
ID_PAPER = ("Giấy tờ tùy thân của người yêu cầu (hộ chiếu, thẻ căn cước, căn cước công dân hoặc giấy tờ có ảnh "
            "do cơ quan có thẩm quyền cấp, còn giá trị sử dụng)")
KNOWN = "015090001234"   # Nguyễn Văn An in the simulator
FORM = {"unit": "YB.LY.YT", "procedure": MARRIAGE, "channel": "direct", "delivery": "counter",
        "full_name": "", "id_number": KNOWN, "phone": "", "email": "", "address": "",
        "papers": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", ID_PAPER]}
PERSONAL = ("015090001234", "Nguyễn Văn An", "an.nguyen@example.vn", "Tổ 5, thị trấn Yên Thế")


@pytest.fixture
def gateway_sandbox(settings, live_server, transactional_db, demo):
    """``MOTCUA_POPULATION_SANDBOX=true`` as ``make run`` sets it, no URL: the counter's lookups go
    over HTTP to the simulator on the live server."""
    settings.POPULATION_SANDBOX = True
    settings.POPULATION_URL = ""
    settings.POPULATION_TOKEN = ""
    settings.PUBLIC_URL = live_server.url
    settings.POPULATION_TIMEOUT = 10
    reload_urls()
    yield settings
    settings.POPULATION_SANDBOX = False
    reload_urls()


@pytest.fixture
def counter(client, demo):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="motcua.yt"))
    return client


def value_of(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
    return unescape(found.group(1)) if found else ""


def look_up(client, number: str = KNOWN) -> str:
    response = client.post(INTAKE, {**FORM, "id_number": number, "_population": "1"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("mode", ["soap", "json"])
def test_a_lookup_fills_the_form_and_the_dossier_names_the_population_database(gateway_sandbox, counter, mode, caplog):
    from motcua import dossier_flags
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.national.contrib.dvcqg.record import national_dossier
    from motcua.national.contrib.population.models import PopulationLookup, subject_digest

    gateway_sandbox.POPULATION_MODE = mode
    caplog.set_level(logging.DEBUG)
    html = look_up(counter)
    assert "Đã điền thông tin từ Cơ sở dữ liệu quốc gia về dân cư" in html
    assert value_of(html, "full_name") == "Nguyễn Văn An"
    assert value_of(html, "address") == "Tổ 5, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái"
    assert value_of(html, "email") == "an.nguyen@example.vn"
    assert "12/05/1990" in html  # the birth date, for the officer to check against the card
    lookup_id = value_of(html, "population_lookup")
    row = PopulationLookup.objects.get(pk=lookup_id)
    assert (row.officer.username, row.outcome, row.mode, row.dossier_id) == ("motcua.yt", "found", mode, None)
    assert "Thị trấn Yên Thế" in row.purpose and MARRIAGE in row.purpose and row.at is not None
    assert row.subject == subject_digest(KNOWN) and KNOWN not in row.subject

    # The officer adds the phone and takes the dossier in.
    filled = {**FORM, "full_name": value_of(html, "full_name"), "address": value_of(html, "address"),
              "email": value_of(html, "email"), "phone": "0912345678", "population_lookup": lookup_id}
    response = counter.post(INTAKE, filled)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(applicant_id_number=KNOWN)
    row.refresh_from_db()
    assert row.dossier_id == dossier.pk
    assert dossier_flags.databases_used(dossier) == [dossier_flags.population_database()]
    assert {"MaCSDL": dossier_flags.population_database()} in national_dossier(dossier, dossier.code)["DSKetNoiCSDL"]
    event = DossierEvent.objects.get(dossier=dossier, action="population_lookup")
    assert event.actor.username == "motcua.yt" and row.request_id in event.note

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert row.request_id in logged  # the log names the lookup …
    for personal in PERSONAL:        # … and nobody
        assert personal not in logged, personal


def test_an_unknown_number_is_not_found_and_audited(gateway_sandbox, counter):
    from motcua.national.contrib.population.models import PopulationLookup

    html = look_up(counter, "015090009998")
    assert "Không tìm thấy công dân có số định danh này" in html
    assert value_of(html, "full_name") == "" and value_of(html, "population_lookup") == ""
    assert list(PopulationLookup.objects.values_list("outcome", flat=True)) == ["not_found"]


@pytest.mark.parametrize("mode", ["soap", "json"])
@pytest.mark.parametrize("number, outcome, words", [
    ("000000000504", "timeout", "không trả lời kịp"),            # the gateway answers 504
    ("000000000999", "timeout", "không trả lời kịp"),            # no answer within the timeout
    ("000000000500", "error", "Không tra cứu được"),             # SOAP fault / error_code -1
])
def test_the_gateway_failing_leaves_the_officer_typing_by_hand(gateway_sandbox, counter, mode, number, outcome, words):
    from motcua.dossiers.models import Dossier
    from motcua.national.contrib.population.models import PopulationLookup

    gateway_sandbox.POPULATION_MODE = mode
    gateway_sandbox.POPULATION_TIMEOUT = 0.5
    html = look_up(counter, number)
    assert words in html and "nhập thông tin người nộp bằng tay" in html
    assert value_of(html, "population_lookup") == ""
    row = PopulationLookup.objects.get()
    assert row.outcome == outcome and row.officer.username == "motcua.yt"
    # Typed by hand, the dossier is taken in as always.
    typed = {**FORM, "id_number": "015090001235", "full_name": "Nguyễn Văn Bình", "phone": "0912345678"}
    assert counter.post(INTAKE, typed).status_code == 302
    assert Dossier.objects.filter(applicant_id_number="015090001235").exists()


def test_without_configuration_the_button_says_it_is_not_connected(counter, demo, settings):
    from motcua.national.contrib.population.models import PopulationLookup

    settings.POPULATION_SANDBOX = False
    settings.POPULATION_URL = ""
    html = counter.get(INTAKE).content.decode()
    button = re.search(r'<button[^>]*id="population-lookup"[^>]*>([^<]*)</button>', html)
    assert button is not None and "disabled" in button.group(0)
    assert "chưa kết nối" in button.group(1)
    assert "Chưa kết nối Cơ sở dữ liệu quốc gia về dân cư" in html
    html = look_up(counter)  # a request made anyway (an old page) is answered plainly
    assert "Chưa kết nối Cơ sở dữ liệu quốc gia về dân cư" in html
    assert not PopulationLookup.objects.exists()


def test_a_bad_number_is_not_sent(gateway_sandbox, counter):
    from motcua.national.contrib.population.models import PopulationLookup

    html = look_up(counter, "01509")
    assert "phải gồm đúng 12 chữ số" in html
    assert not PopulationLookup.objects.exists()


def test_a_lookup_joins_only_the_dossier_of_that_citizen_taken_in_by_that_officer(gateway_sandbox, counter):
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier
    from motcua.national.contrib.population import services
    from motcua.national.contrib.population.models import PopulationLookup

    html = look_up(counter)
    lookup_id = value_of(html, "population_lookup")
    officer = User.objects.get(username="motcua.yt")
    other = receive_dossier(actor=officer, procedure_code=MARRIAGE, unit_code="YB.LY.YT", channel="direct",
                            applicant={"full_name": "Người Khác", "id_number": "015090007777", "phone": "0912000000"})
    assert not services.attach(lookup_id, officer, other)  # another citizen
    own = receive_dossier(actor=officer, procedure_code=MARRIAGE, unit_code="YB.LY.YT", channel="direct",
                          applicant={"full_name": "Nguyễn Văn An", "id_number": KNOWN, "phone": "0912000001"})
    assert not services.attach(lookup_id, User.objects.get(username="chuyenvien.yt"), own)  # another officer
    assert not services.attach("x", officer, own)
    assert services.attach(lookup_id, officer, own)
    assert not services.attach(lookup_id, officer, own)  # once
    assert PopulationLookup.objects.get(pk=lookup_id).dossier_id == own.pk


def test_the_simulator_refuses_another_token(gateway_sandbox):
    from motcua.national.contrib.population import client

    target = client.gateway()
    assert target is not None and target.sandbox
    wrong = client.Gateway(target.url, target.mode, "not-the-token", True)
    query = client.Query(client.new_request_id(), "VPCP", "motcua.yt", KNOWN)
    with pytest.raises(client.GatewayError):
        client.look_up(wrong, query)
    assert client.look_up(target, query).full_name == "Nguyễn Văn An"


def test_deploy_check_refuses_the_simulator_and_names_a_half_configuration(settings):
    from motcua.national.checks import national_connections

    settings.DEBUG = False
    settings.POPULATION_SANDBOX = True
    ids = {m.id for m in national_connections()}
    assert "motcua.national.E301" in ids
    settings.POPULATION_SANDBOX = False
    settings.POPULATION_URL = "https://lgsp.example.gov.vn/dancu"
    settings.POPULATION_TOKEN = ""
    found = [m for m in national_connections() if m.id == "motcua.national.W302"]
    assert found and "MOTCUA_POPULATION_TOKEN" in found[0].msg
