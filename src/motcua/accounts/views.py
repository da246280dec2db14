"""``/tai-khoan/``: the citizen's profile (allauth serves sign-up, log-in and the rest)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.accounts import phone_codes, sms
from motcua.accounts.forms import SIGNUP_SESSION_KEY, CodeForm, PhoneForm, ResetByCodeForm
from motcua.accounts.models import Role
from motcua.accounts.profile import ProfileForm


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            if phone := form.new_phone():
                return _ask_phone_change(request, user, phone)
            return redirect("accounts_profile")
    else:
        form = ProfileForm(user=user, initial={
            "full_name": user.full_name, "id_number": user.id_number, "phone": user.phone, "address": user.address,
        })
    from allauth.account.models import EmailAddress

    email = EmailAddress.objects.filter(user=user, primary=True).first() or (
        EmailAddress.objects.filter(user=user).first()
    )
    return render(request, "account/profile.html", {"form": form, "email_address": email,
                                                    "sms_available": sms.available(),
                                                    "login_names": login_names(user, email)})


def login_names(user, email) -> list[tuple[str, str]]:
    """What the user signs in with, as they know it: their phone number and e-mail address. A
    citizen's username is made up at sign-up and never chosen, so it is shown only to staff
    (an administrator gave it) or when there is nothing else to sign in with."""
    names = []
    if user.phone:
        names.append((_("Số điện thoại"), user.phone))
    if email is not None:
        names.append((_("Thư điện tử"), email.email))
    if user.role != Role.CITIZEN or not names:
        names.append((_("Tên đăng nhập"), user.username))
    return names


def too_many_requests(request):
    """allauth's rate limits (sign-ups per address, confirmation and reset e-mails per address and
    account): the Vietnamese 429 page with ``Retry-After``; its windows are a few minutes."""
    from motcua.operations.throttles import throttled_page

    return throttled_page(60)


# ------------------------------------------------------------------ one-time codes by SMS (issue 17 §3, §6)

def _code_request(request, purpose: str, phone: str, user) -> HttpResponse | None:
    """Limits first (the same for any number), then the code; the 429 page when over a limit."""
    from ninja.errors import Throttled

    from motcua.operations.throttles import throttled_page

    try:
        phone_codes.limit_requests(request, phone)
    except Throttled as exc:
        return throttled_page(int(exc.wait or 1))
    phone_codes.start(request, purpose, phone, user)
    return None


def reset_by_sms(request):
    """"Quên mật khẩu" for a phone: the number, then a code by SMS. Every valid number gets the
    same answer (the code page), whether or not it has an account."""
    from allauth.account.adapter import get_adapter

    if not sms.available():
        return render(request, "account/password_reset_sms.html", {"unavailable": True})
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        user = get_adapter().get_user_by_phone(phone)
        if user is not None and not user.is_active:
            user = None
        throttled = _code_request(request, phone_codes.RESET, phone, user)
        if throttled is not None:
            return throttled
        return redirect("account_reset_password_sms_code")
    return render(request, "account/password_reset_sms.html", {"form": form}, status=422 if form.errors else 200)


def reset_by_sms_code(request):
    """The code sent by SMS and a new password. A right code sets the password (which also
    revokes the account's API tokens) and marks the phone verified."""
    state = phone_codes.pending(request, phone_codes.RESET)
    if state is None:
        messages.info(request, _("Vui lòng nhập số điện thoại để nhận mã."))
        return redirect("account_reset_password_sms")
    form = ResetByCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = phone_codes.check(request, phone_codes.RESET, form.cleaned_data["code"])
        if checked.gone:
            messages.error(request, checked.error)
            return redirect("account_reset_password_sms")
        if checked.user is None:
            form.add_error("code", checked.error)
        elif form.check_password_for(checked.user):
            user = checked.user
            user.set_password(form.cleaned_data["password1"])
            user.phone_verified = True
            user.save()
            phone_codes.finish(request)
            messages.success(request, _("Đã đặt mật khẩu mới. Vui lòng đăng nhập."))
            return redirect("account_login")
    return render(request, "account/password_reset_sms_code.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def verify_phone(request):
    """The profile's phone verified by a code sent to it ("Gửi mã", then the code)."""
    user = request.user
    if not user.phone or user.phone_verified or not sms.available():
        return redirect("accounts_profile")
    form = CodeForm()
    if request.method == "POST" and "send" in request.POST:
        throttled = _code_request(request, phone_codes.VERIFY, user.phone, user)
        if throttled is not None:
            return throttled
        messages.info(request, _("Đã gửi mã tới số điện thoại của bạn."))
        return redirect("account_verify_phone_code")
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            checked = phone_codes.check(request, phone_codes.VERIFY, form.cleaned_data["code"])
            if checked.user is not None and checked.user.pk == user.pk:
                _mark_verified(user, request)
                messages.success(request, _("Đã xác minh số điện thoại."))
                return redirect("accounts_profile")
            form.add_error("code", checked.error or _("Mã không đúng."))
    return render(request, "account/verify_phone.html",
                  {"form": form, "sent": phone_codes.pending(request, phone_codes.VERIFY) is not None},
                  status=422 if form.errors else 200)


def _ask_phone_change(request, user, phone: str) -> HttpResponse:
    """A new number for the profile (issue 17 §6): the same answer whether or not another account
    has it, as sign-up. A free number is sent a code; a number already used gets none (no code can
    match) and its owner is told by SMS instead. Without SMS a number cannot be checked: not changed."""
    from allauth.account.adapter import get_adapter

    from motcua.accounts.forms import phone_claimed_sms

    if not sms.available():
        messages.error(request, _("Chưa đổi được số điện thoại: số mới cần được xác minh bằng mã gửi qua SMS, "
                                  "mà hệ thống chưa gửi được tin nhắn. Vui lòng liên hệ Bộ phận Một cửa."))
        return redirect("accounts_profile")
    owner = get_adapter().get_user_by_phone(phone)
    throttled = _code_request(request, phone_codes.CHANGE, phone, user if owner is None else None)
    if throttled is not None:
        return throttled
    if owner is not None and owner.pk != user.pk:
        sms.send(phone, "account_exists", phone_claimed_sms(), user=owner)
    messages.info(request, _("Nếu số điện thoại này dùng được cho tài khoản của bạn, một mã gồm 6 chữ số vừa được "
                             "gửi đến số đó. Nhập mã để đổi số; số cũ vẫn giữ cho đến khi đổi xong."))
    return redirect("account_change_phone")


@login_required
def change_phone(request):
    """The code sent to the profile's new number; typed back, the number is the account's, verified."""
    from django.db import IntegrityError, transaction

    user = request.user
    state = phone_codes.pending(request, phone_codes.CHANGE)
    if state is None:
        return redirect("accounts_profile")
    phone = state["phone"]
    form = CodeForm()
    if request.method == "POST" and "send" in request.POST:
        return _ask_phone_change(request, user, phone)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            checked = phone_codes.check(request, phone_codes.CHANGE, form.cleaned_data["code"])
            if checked.user is not None and checked.user.pk == user.pk:
                phone_codes.finish(request)
                try:
                    with transaction.atomic():
                        user.phone, user.phone_verified = phone, True
                        user.save(update_fields=["phone", "phone_verified"])
                except IntegrityError:  # taken meanwhile by another account: the code no longer serves
                    user.refresh_from_db()
                    checked = phone_codes.Checked(None, _("Mã đã hết hiệu lực. Vui lòng yêu cầu mã mới."), gone=True)
                else:
                    messages.success(request, _("Đã đổi và xác minh số điện thoại."))
                    return redirect("accounts_profile")
            if checked.gone:  # the number stays as it was; the profile is where a new one is asked
                messages.error(request, checked.error)
                return redirect("accounts_profile")
            form.add_error("code", checked.error or _("Mã không đúng."))
    return render(request, "account/change_phone.html", {"form": form, "phone": phone},
                  status=422 if form.errors else 200)


def _mark_verified(user, request) -> None:
    phone_codes.finish(request)
    user.phone_verified = True
    user.save(update_fields=["phone_verified"])


def signup_sent(request):
    """The one answer to every sign-up (a new account, or a phone or e-mail already used):
    what was sent, the code form for a phone, and the way to log in."""
    from django.contrib.auth import login

    sent = request.session.get(SIGNUP_SESSION_KEY)
    if sent is None:
        return redirect("account_signup")
    code_sent = phone_codes.pending(request, phone_codes.SIGNUP) is not None
    form = CodeForm(request.POST or None)
    if request.method == "POST" and code_sent and form.is_valid():
        checked = phone_codes.check(request, phone_codes.SIGNUP, form.cleaned_data["code"])
        if checked.user is not None:
            _mark_verified(checked.user, request)
            request.session.pop(SIGNUP_SESSION_KEY, None)
            login(request, checked.user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Đã xác minh số điện thoại. Chào mừng bạn!"))
            return redirect("accounts_profile")
        if checked.gone:
            messages.error(request, checked.error)
            code_sent = False
        else:
            form.add_error("code", checked.error)
    return render(request, "account/signup_sent.html", {"sent": sent, "code_sent": code_sent, "form": form},
                  status=422 if form.errors else 200)
