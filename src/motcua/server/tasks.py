"""Django's tasks API, from Django itself (≥ 6.0) or its backport ``django_tasks`` (5.2)."""

try:
    from django.tasks import task  # noqa: F401
except ImportError:  # Django 5.2
    from django_tasks import task  # noqa: F401
