"""Settings of the floor app (``bench/floor``): the same database options as Motcua's
(SQLite in WAL with IMMEDIATE transactions, or PostgreSQL with persistent connections),
nothing else installed. ``BENCH_FLOOR_DB``: a PostgreSQL URL, or the SQLite file's path."""

import os

import dj_database_url

SECRET_KEY = "bench-floor-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS = ["bench.floor"]
MIDDLEWARE: list[str] = []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING_CONFIG = None

_db = os.environ.get("BENCH_FLOOR_DB", "var/bench-floor.sqlite3")
if _db.startswith("postgres"):
    DATABASES = {"default": dj_database_url.parse(_db, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": _db,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30, "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;")},
    }}
