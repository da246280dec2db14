"""VNeID's claims, per user, from the test's claims file (username → claims)."""

import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class VNeIDValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim for the granted "openid" scope, as the national portal sends

    def get_additional_claims(self, request):
        claims = json.loads(settings.CLAIMS_FILE.read_text()) if settings.CLAIMS_FILE.exists() else {}
        return claims.get(request.user.username, {})
