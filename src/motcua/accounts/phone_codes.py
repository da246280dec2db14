"""One-time codes sent by SMS (issue 17 §3): a forgotten password reset, and a phone number
verified, for citizens who have a phone and no e-mail.

- A code is six digits, kept only as a salted hash in the visitor's session, with its purpose,
  the phone it went to, the account it is for, its expiry (``MOTCUA_PHONE_CODE_MINUTES``) and
  the tries left (5). A wrong code uses a try; no tries left or past the expiry, the code is
  gone and a new one must be asked for.
- Asking is limited per phone number (``MOTCUA_RATE_PHONE_CODE``) and per client address
  (``MOTCUA_RATE_PHONE_CODE_ADDRESS``), in the shared store (``operations.throttles``).
- Never revealing whether an account exists: a number without an account gets the same
  answer, the same limits and a code state whose code matches nothing; only an account's
  number is sent an SMS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts import sms
from motcua.operations import throttles

SESSION_KEY = "motcua_phone_code"
TRIES = 5
RESET = "reset"
VERIFY = "verify"
SIGNUP = "signup"  # a new account's phone, verified right after sign-up (then logged in)
CHANGE = "change"  # a new number for the profile: taken only with the code sent to it


@dataclass
class Checked:
    user: object | None  # the account, when the code was right
    error: str = ""  # why not, in Vietnamese
    gone: bool = False  # the code can no longer be used: ask for a new one


def _digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def limit_requests(request, phone: str) -> None:
    """Raise ``Throttled`` when this address or this number asked too often (either way alike)."""
    throttles.limit("phone-code-address", throttles.client_address(request), settings.RATE_PHONE_CODE_ADDRESS)
    throttles.limit("phone-code", phone, settings.RATE_PHONE_CODE)


def start(request, purpose: str, phone: str, user=None) -> None:
    """Make a code for ``purpose``, keep its hash in the session and send it to ``phone`` when
    ``user`` (the number's account) is given; without one, nothing is sent and no code can match."""
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    request.session[SESSION_KEY] = {
        "purpose": purpose, "phone": phone, "user": user.pk if user is not None else None,
        "salt": salt, "hash": _digest(code, salt) if user is not None else "",
        "expires": time.time() + settings.PHONE_CODE_MINUTES * 60, "tries": TRIES,
    }
    if user is not None:
        sms.send(phone, "phone_code", message(purpose, code), user=user)


def message(purpose: str, code: str) -> str:
    """The SMS (without diacritics, as brandname SMS are sent; no name, no number)."""
    minutes = settings.PHONE_CODE_MINUTES
    if purpose == RESET:
        return (f"Ma dat lai mat khau tai khoan dich vu cong: {code}. Het han sau {minutes} phut. "
                "Khong dua ma nay cho bat ky ai.")
    return (f"Ma xac minh so dien thoai tai khoan dich vu cong: {code}. Het han sau {minutes} phut. "
            "Khong dua ma nay cho bat ky ai.")


def pending(request, purpose: str) -> dict | None:
    state = request.session.get(SESSION_KEY)
    if not state or state.get("purpose") != purpose:
        return None
    return state


def check(request, purpose: str, code: str) -> Checked:
    """Whether ``code`` is the one sent for ``purpose``; uses a try when it is not."""
    from motcua.accounts.models import User

    state = pending(request, purpose)
    if state is None or time.time() > state["expires"]:
        request.session.pop(SESSION_KEY, None)
        return Checked(None, _("Mã đã hết hiệu lực. Vui lòng yêu cầu mã mới."), gone=True)
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    right = bool(state["hash"]) and hmac.compare_digest(_digest(code, state["salt"]), state["hash"])
    user = User.objects.filter(pk=state["user"], is_active=True).first() if right else None
    if user is None:
        state["tries"] -= 1
        if state["tries"] <= 0:
            request.session.pop(SESSION_KEY, None)
            return Checked(None, _("Nhập sai quá số lần cho phép. Vui lòng yêu cầu mã mới."), gone=True)
        request.session[SESSION_KEY] = state
        return Checked(None, _("Mã không đúng. Còn %(n)s lần thử.") % {"n": state["tries"]})
    return Checked(user)


def finish(request) -> None:
    request.session.pop(SESSION_KEY, None)
