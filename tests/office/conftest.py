"""Fixtures for the staff workbench: logged-in clients and dossiers in known states."""

from __future__ import annotations

import pytest

APPLICANT = {"full_name": "Lường Thị Thu", "id_number": "015190000456", "phone": "0987654321",
             "email": "thu@example.vn", "address": "Tổ 3, Thị trấn Yên Thế"}
MARRIAGE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân (commune level)


@pytest.fixture
def login(client, demo):
    """``login("motcua.yt")``: the test client, logged in as that demo user."""
    from motcua.accounts.models import User

    def make(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def receive(demo):
    """``receive(unit="YB.LY.YT", by="motcua.yt", …)``: a dossier taken in at a counter."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    def make(unit: str = "YB.LY.YT", by: str = "motcua.yt", procedure: str = MARRIAGE, channel: str = "direct",
             applicant: dict | None = None, **kwargs):
        return receive_dossier(actor=User.objects.get(username=by), procedure_code=procedure, unit_code=unit,
                               channel=channel, applicant=applicant or APPLICANT, **kwargs)

    return make


@pytest.fixture
def act(demo):
    """``act("lanhdao.yt", code, "approve", note=…)``: apply an action through the service."""
    from motcua.accounts.models import User
    from motcua.dossiers.actions import apply_action

    def make(username: str, code: str, action: str, **payload):
        return apply_action(User.objects.get(username=username), code, action, payload)

    return make
