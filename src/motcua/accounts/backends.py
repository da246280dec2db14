"""Authentication backends."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check (per account and client address, in the database) for every
    login that comes with a request: the staff and citizen pages, the admin, the API token.
    A call without a request (a script, the test client's ``login()``) is not an HTTP login
    and is left to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
