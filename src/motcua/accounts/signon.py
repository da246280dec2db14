"""Whether an account was verified through the national sign-on (VNeID / the national portal's
SSO, allauth's ``openid_connect`` provider ``MOTCUA_OIDC_PROVIDER_ID``).

An account is linked to the sign-on (an allauth ``SocialAccount`` of that provider) only by an
actual sign-in through it (``accounts.adapter``): nothing a citizen types or posts can link it.
This is the one answer to "was the owner verified with VNeID": the national record's
``TaiKhoanDuocXacThucVoiVNeID``, the dossier source ``vneid`` and the QĐ 766 indicator 4.5 read it.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import Exists, OuterRef


def signed_on_nationally(user) -> bool:
    """``user`` has signed in at least once through the national sign-on."""
    if user is None or not getattr(user, "pk", None):
        return False
    return SocialAccount.objects.filter(user_id=user.pk, provider=settings.OIDC_PROVIDER_ID).exists()


def signed_on_nationally_exists(user_ref: str = "owner_id") -> Exists:
    """The same rule as a condition on another model whose field ``user_ref`` is the account."""
    return Exists(SocialAccount.objects.filter(user_id=OuterRef(user_ref), provider=settings.OIDC_PROVIDER_ID))
