"""Who may open a page: the officers' pages (the office, the questions' answers) share one rule."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def staff_required(view):
    """Officers only: anonymous users go to the login page, citizens to the public portal."""

    @wraps(view)
    @login_required(login_url="office:login")  # staff keep their own login page
    def wrapper(request, *args, **kwargs):
        if not request.user.is_officer:
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return wrapper
