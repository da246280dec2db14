"""``/tai-khoan/…`` (docs/pages.md): sign-up, log-in (password, or the national sign-on when
configured), the profile; the rest of allauth's pages (e-mail confirmation, password reset,
the OpenID Connect callback) under the same prefix."""

from allauth.account import views as allauth_views
from django.urls import include, path

from motcua.accounts import views

# allauth's own paths first: for a name defined twice, reverse() takes the last definition,
# so the Vietnamese addresses below are the ones every link and redirect uses.
urlpatterns = [
    path("", include("allauth.urls")),
    path("", views.profile, name="accounts_profile"),
    path("dang-ky/", allauth_views.signup, name="account_signup"),
    path("dang-nhap/", allauth_views.login, name="account_login"),
    path("dang-xuat/", allauth_views.logout, name="account_logout"),
    path("quen-mat-khau/", allauth_views.password_reset, name="account_reset_password"),
    path("quen-mat-khau/sms/", views.reset_by_sms, name="account_reset_password_sms"),
    path("quen-mat-khau/sms/ma/", views.reset_by_sms_code, name="account_reset_password_sms_code"),
    path("dang-ky/da-gui/", views.signup_sent, name="account_signup_sent"),
    path("xac-minh-so-dien-thoai/", views.verify_phone, name="account_verify_phone_code"),
    path("doi-so-dien-thoai/", views.change_phone, name="account_change_phone"),
]
