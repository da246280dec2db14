"""The demo's own deploy check (``check --deploy``, motcua.W012): staff accounts made by
``motcua seed-demo`` that still have the published demo password. Registered by this app, which
knows its accounts; the security app's checks never import the demo."""

from __future__ import annotations

from django.core.checks import Tags, register
from django.db import DatabaseError

from motcua.demo.catalog import DEMO_PASSWORD, STAFF
from motcua.security.checks import _w


@register(Tags.security, deploy=True)
def demo_accounts(app_configs=None, **kwargs):
    """Staff accounts from ``motcua seed-demo`` that still have the published demo password."""
    from django.contrib.auth.hashers import check_password

    from motcua.accounts.models import User

    try:
        users = list(User.objects.filter(username__in=[row[0] for row in STAFF], is_active=True)
                     .values_list("username", "password"))
    except DatabaseError:  # not migrated yet: no accounts
        return []
    # check_password without a setter: checking never rewrites a stored hash.
    published = sorted(name for name, hashed in users if check_password(DEMO_PASSWORD, hashed))
    if not published:
        return []
    names = ", ".join(published)
    return [_w(12, f"Tài khoản mẫu vẫn dùng mật khẩu công khai “{DEMO_PASSWORD}”: {names}. "
                   "Đổi mật khẩu hoặc khoá các tài khoản này.",
               f"Demo accounts still have the published password “{DEMO_PASSWORD}”: {names}. "
               "Change their passwords or deactivate them.",
               "motcua changepassword USERNAME (or deactivate them in the admin)")]
