"""``source: "vneid"`` and ``TaiKhoanDuocXacThucVoiVNeID`` only when the owner actually signed in
through the national sign-on (issue 18 §2): a citizen cannot claim it by posting a word."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from motcua.accounts.models import User
from motcua.dossier_flags import owner_verified_by_vneid
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db



@pytest.fixture
def filing(demo):
    """A complete online filing (every answer its form asks) that says it came from VNeID."""
    from motcua.catalog.models import Procedure
    from motcua.national.contrib.dvcqg_sandbox.filings import sample_answers

    return {"procedure": "1.000894", "unit": "YB.LY.YT", "channel": "online", "source": "vneid",
            "data": sample_answers(Procedure.objects.get(code="1.000894").form),
            "applicant": {"full_name": "Nguyễn Văn An", "id_number": "015090001234", "phone": "0912345678"}}


def test_posting_source_vneid_without_the_national_sign_on_is_refused(api_as, filing):
    response = api_as("congdan").post("/dossiers", filing)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["source"]
    assert not Dossier.objects.exists()


def test_with_a_real_national_sign_on_the_dossier_is_from_vneid_and_its_owner_verified(api_as, filing):
    citizen = User.objects.get(username="congdan")
    SocialAccount.objects.create(user=citizen, provider="vneid", uid="sub-015090001234")  # made by a sign-in (accounts.adapter)
    response = api_as("congdan").post("/dossiers", filing)
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.source == "vneid" and owner_verified_by_vneid(dossier)


def test_another_providers_account_is_not_the_national_sign_on(api_as, filing):
    SocialAccount.objects.create(user=User.objects.get(username="congdan"), provider="google", uid="g-1")
    assert api_as("congdan").post("/dossiers", filing).status_code == 422
