"""Citizens with only a phone (issue 17 §3): SMS (and Zalo where configured) offered wherever
a channel is chosen — sign-up, the profile's page, the online filing — and a citizen who gave
no e-mail hears by SMS without having to choose it."""

from __future__ import annotations


from tests.files.conftest import online_dossier  # noqa: F401

ON = {"email": "mail", "sms": "demo-sms", "zalo": "demo-zalo"}


def test_a_phone_only_applicant_hears_by_sms_without_choosing(settings, online_dossier, delivering):  # noqa: F811
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = ON
    with delivering():
        dossier = online_dossier(email="")
    assert list(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == ["sms"]
    # With an e-mail address and no choice: e-mail, as before.
    with delivering():
        other = online_dossier()
    assert list(Notification.objects.filter(dossier=other).values_list("channel", flat=True)) == ["email"]


def test_without_sms_here_a_phone_only_applicant_gets_nothing_sent_anywhere(settings, online_dossier, delivering):  # noqa: F811
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {"email": "mail", "sms": "", "zalo": ""}
    with delivering():
        dossier = online_dossier(email="")
    assert not Notification.objects.filter(dossier=dossier).exists()


def test_sign_up_offers_the_channels_on_here_and_keeps_the_choice(settings, client, db):
    from motcua.accounts.models import User
    from motcua.notifications.models import ChannelChoice

    settings.NOTIFICATION_SENDERS = {"email": "mail", "sms": "demo-sms", "zalo": ""}
    html = client.get("/tai-khoan/dang-ky/").content.decode()
    assert 'name="channel" value="sms"' in html and 'name="channel" value="email"' in html
    assert 'value="zalo"' not in html and "Tin nhắn SMS" in html
    client.post("/tai-khoan/dang-ky/", {"phone": "0912000111", "password1": "mat-khau-dai-1",
                                        "password2": "mat-khau-dai-1", "channel": ["sms"], "channels_offered": "1"})
    user = User.objects.get(phone="0912000111")
    choice = ChannelChoice.objects.get(user=user)
    assert (choice.email, choice.sms, choice.zalo) == (False, True, False)


def test_the_filing_form_offers_the_channels_and_keeps_the_choice(settings, demo):
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.notifications.models import ChannelChoice
    from tests.filing.test_filing_pages import BASE, fill_to_review

    settings.NOTIFICATION_SENDERS = ON
    user = User.objects.get(username="congdan")
    user.full_name, user.id_number, user.phone = "Nguyễn Văn An", "015090001234", "0912345678"
    user.save()
    browser = Client()
    browser.force_login(user)
    fill_to_review(browser)
    html = browser.get(BASE + "nhan-ket-qua/").content.decode()
    assert 'name="channel" value="sms"' in html and 'name="channel" value="zalo"' in html
    r = browser.post(BASE + "nhan-ket-qua/", {"delivery": "counter", "channel": ["sms", "zalo"], "channels_offered": "1"})
    assert r.status_code == 302
    choice = ChannelChoice.objects.get(user=user)
    assert (choice.email, choice.sms, choice.zalo) == (False, True, True)
    assert 'name="channel" value="sms" checked' in browser.get(BASE + "nhan-ket-qua/").content.decode()
