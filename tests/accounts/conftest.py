"""Fixtures for account tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 takes ~0.6 s a hash here; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
