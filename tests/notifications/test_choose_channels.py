"""A citizen chooses their notification channels in the profile (issue 9 §4, opt-in)."""

from __future__ import annotations

import pytest


@pytest.fixture
def citizen_client(client, demo):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="congdan"))
    return client


def test_the_page_offers_the_channels_switched_on_here_and_saves_the_choice(settings, citizen_client):
    from motcua.notifications.models import ChannelChoice

    settings.NOTIFICATION_SENDERS = {"email": "outbox", "sms": "demo-sms", "zalo": ""}
    page = citizen_client.get("/tai-khoan/thong-bao/")
    assert page.status_code == 200
    html = page.content.decode()
    # The demo citizen has no e-mail address: SMS is what reaches them until they choose (issue 17 §3).
    assert 'value="sms" checked' in html and 'value="email"' in html and 'value="email" checked' not in html
    assert 'value="zalo"' not in html
    assert "Nhận thông báo về hồ sơ" in html

    response = citizen_client.post("/tai-khoan/thong-bao/", {"channel": ["sms"]})
    assert response.status_code == 302
    choice = ChannelChoice.objects.get(user__username="congdan")
    assert (choice.email, choice.sms, choice.zalo) == (False, True, False)
    assert 'value="sms" checked' in citizen_client.get("/tai-khoan/thong-bao/").content.decode()


def test_the_choice_decides_the_channels_of_the_next_message(settings, citizen_client, online_dossier, delivering):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {"email": "mail", "sms": "demo-sms", "zalo": "demo-zalo"}
    citizen_client.post("/tai-khoan/thong-bao/", {"channel": ["email", "zalo"]})
    with delivering():
        dossier = online_dossier()
    assert sorted(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == ["email", "zalo"]


def test_anonymous_visitors_are_asked_to_log_in(client, db):
    response = client.get("/tai-khoan/thong-bao/")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]
