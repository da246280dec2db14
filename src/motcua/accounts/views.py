"""``/tai-khoan/``: the citizen's profile (allauth serves sign-up, log-in and the rest)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
