"""Django settings, driven by the environment (docs/configuration.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

from motcua.conf import config, persistent_secret_key

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(
    config("MOTCUA_DATA_DIR", "./var", help="Where the SQLite database and uploaded files live.")
).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only (motcua/datadir.py)
DEBUG = config("MOTCUA_DEBUG", False, cast=bool, help="Django debug mode. Never on in production.")
# Never a published default: unset, a random key is made once and kept in MOTCUA_DATA_DIR.
SECRET_KEY = config(
    "MOTCUA_SECRET_KEY",
    "",
    help="Django secret key. Unset: a random key made on the first start and kept in "
    "MOTCUA_DATA_DIR/secret_key (mode 0600). Set the same value on every server of one installation.",
) or persistent_secret_key(DATA_DIR)
ALLOWED_HOSTS = config(
    "MOTCUA_ALLOWED_HOSTS",
    "127.0.0.1,localhost,testserver,[::1]",
    help="Comma-separated host names the server answers to.",
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in config("MOTCUA_CSRF_TRUSTED_ORIGINS", "", help="Comma-separated origins (https://host) allowed to POST forms.").split(",") if o
]
PUBLIC_URL = config(
    "MOTCUA_PUBLIC_URL",
    "",
    help="The public address of the portal (https://dichvucong.example.gov.vn), printed in QR codes, "
    "receipts, posters and e-mails. Unset: the address each request came to; for background work, "
    "MOTCUA_SERVE_URL.",
).rstrip("/")
SERVE_URL = config(
    "MOTCUA_SERVE_URL",
    "http://127.0.0.1:8000",
    help="The address `motcua serve` listens on; serve sets it from --host/--port for its workers. "
    "Links made without a request (the worker's e-mails) use it when MOTCUA_PUBLIC_URL is unset.",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "motcua.operations.apps.LoginLockoutConfig",  # django-axes, named in Vietnamese
    "django_htmx",
    "django_tasks",
    "motcua.server.apps.TaskQueueConfig",  # django-tasks-db, named in Vietnamese
    "django_prometheus",
    "django_guid",
    "motcua.operations",
    "ninja",  # serves Swagger UI's files from our static files: /api/v1/docs works offline
    "motcua.accounts",
    "motcua.catalog",
    "motcua.worktime",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.voices",
    "motcua.documents",
    "motcua.printing",
    "motcua.payments",
    # Plugins are apps of their own (contrib/<name>/), each registering itself in its ready(),
    # right after the app whose registry it fills (the order they register in).
    "motcua.payments.contrib.vnpay",
    "motcua.payments.contrib.sandbox",
    "motcua.notifications",
    "motcua.notifications.contrib.demo",
    "motcua.notifications.contrib.email",
    "motcua.notifications.contrib.esms",
    "motcua.notifications.contrib.zns",
    "motcua.reports",
    "motcua.inspection",
    "motcua.simplification",
    "motcua.signing",
    "motcua.signing.contrib.demo",
    "motcua.signing.contrib.pkcs11",
    "motcua.signing.contrib.pkcs12",
    "motcua.national",
    "motcua.national.contrib.dvcqg",
    "motcua.national.contrib.dvcqg_sandbox",
    "motcua.national.contrib.population",
    "motcua.national.contrib.population_sandbox",
    "motcua.national.contrib.vnpost",
    "motcua.national.contrib.vnpost_sandbox",
    "motcua.filing",
    "motcua.portal",
    "motcua.office",
    "motcua.api",
    "motcua.server",
    "motcua.backups",
    "csp",
    "motcua.security",
    "motcua.demo",
]

MIDDLEWARE = [
    # Metrics first and last, so they time the whole stack (motcua/operations/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_guid.middleware.guid_middleware",  # X-Request-ID in and out
    "motcua.operations.middleware.AccessLogMiddleware",  # one line per request, no query string
    "motcua.security.headers.ProxyHeaderMiddleware",  # X-Forwarded-Proto only from MOTCUA_TRUSTED_PROXY
    "django.middleware.security.SecurityMiddleware",  # HSTS, nosniff, Referrer-Policy, COOP, TLS redirect
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "motcua.security.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.security.compression.SafeGZipMiddleware",  # text responses without a session cookie (BREACH)
    "motcua.links.RequestAddressMiddleware",  # links follow the address a request came to
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.portal.middleware.ChosenLanguageMiddleware",  # Vietnamese unless the visitor switches
    "motcua.badinput.BadInputMiddleware",  # NUL/surrogates, body limits, database rejections → 4xx
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.operations.middleware.BusyDatabaseMiddleware",  # SQLite "database is locked" → 503
    "axes.middleware.AxesMiddleware",  # a locked-out login → 429 (operations/throttles.py)
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.worktime.context_processors.calendar_warning",
            ],
        },
    }
]

DATABASE_URL = config(
    "DATABASE_URL",
    "",
    help="Unset: SQLite file under MOTCUA_DATA_DIR. `postgres://user@host:5432/name`: PostgreSQL.",
)
PG_OPTIONS = config(
    "MOTCUA_PG_OPTIONS",
    "-c random_page_cost=1.1",
    help="Session settings for PostgreSQL connections (libpq `options`). The default tells the planner "
    "that random reads are cheap (SSD, data in cache), so scoped lists probe indexes instead of hashing "
    "a unit's whole archive. Empty: the server's own settings.",
)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with Prometheus counters and query-time histograms (/metrics).
        DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
    if PG_OPTIONS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = PG_OPTIONS
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend with Prometheus query counters and timings (/metrics).
            "ENGINE": "django_prometheus.db.backends.sqlite3",
            "NAME": DATA_DIR / "motcua.sqlite3",
            # Each server thread keeps its connection for a minute, as on PostgreSQL: opening one
            # (and its PRAGMAs) per request was most of a public tracking request's time
            # (docs/performance.md, "Third pass: connections kept on SQLite").
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue
                # instead of failing with "database is locked" on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
                ),
            },
            # A file (not :memory:) so threads and live-server tests share it; one per
            # process so parallel test runs never collide.
            "TEST": {"NAME": DATA_DIR / f"test-motcua-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# django-axes first: a login from a locked account + address is refused before any password check.
# Then allauth's backend: the account's username, e-mail address or phone (accounts block below).
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.LoginLockoutBackend",
                           "allauth.account.auth_backends.AuthenticationBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "account_login"  # citizens: /tai-khoan/dang-nhap/; staff pages send to office:login themselves
LOGIN_REDIRECT_URL = "accounts_profile"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/: the English catalogue of Motcua's own (Vietnamese) texts; locale_django/: Vietnamese
# for the texts of Django's admin and forms that Django's own catalogue lacks (docs/translations.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project-wide static files (site CSS) live beside the templates, not in an app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Stored files (papers, results, draft papers): Django's default storage. Local disk under
# MOTCUA_DATA_DIR/media, or an S3-compatible bucket (django-storages) when MOTCUA_S3_BUCKET is set
# (docs/operators/storage.md). Printed PDFs are made on each request and never stored.
S3_BUCKET = config(
    "MOTCUA_S3_BUCKET", "",
    help="Unset: files on local disk under MOTCUA_DATA_DIR/media. A bucket name: every stored file goes to that "
    "S3-compatible bucket (AWS S3, MinIO, Ceph, Viettel/VNPT/FPT object storage), which must already exist.",
)
S3_ENDPOINT_URL = config(
    "MOTCUA_S3_ENDPOINT_URL", "",
    help="The object store's address (`https://s3.example.gov.vn`); unset: AWS S3 itself.",
)
S3_REGION = config("MOTCUA_S3_REGION", "", help="The bucket's region (`us-east-1` when the store has none).")
S3_ACCESS_KEY_ID = config(
    "MOTCUA_S3_ACCESS_KEY_ID", "",
    help="Access key of the account that reads and writes the bucket; unset: boto3's own chain (instance role, ~/.aws).",
)
S3_SECRET_ACCESS_KEY = config("MOTCUA_S3_SECRET_ACCESS_KEY", "", help="Its secret key (never logged).")
S3_PREFIX = config(
    "MOTCUA_S3_PREFIX", "",
    help="Folder inside the bucket for this installation's files (`motcua/`), so one bucket can hold several.",
)
S3_ADDRESSING_STYLE = config(
    "MOTCUA_S3_ADDRESSING_STYLE", "path",
    help="`path` (`https://host/bucket/key`, what MinIO and most on-premises stores need) or `virtual` "
    "(`https://bucket.host/key`).",
)
from motcua.documents.storage import default_storage_setting  # noqa: E402

STORAGES = {
    "default": default_storage_setting(
        media_root=DATA_DIR / "media", bucket=S3_BUCKET, endpoint_url=S3_ENDPOINT_URL, region=S3_REGION,
        access_key=S3_ACCESS_KEY_ID, secret_key=S3_SECRET_ACCESS_KEY, prefix=S3_PREFIX,
        addressing_style=S3_ADDRESSING_STYLE,
    ),
    # Fingerprinted names, gzip copies, cached for good (motcua/static_storage.py).
    "staticfiles": {"BACKEND": "motcua.static_storage.FingerprintedStaticStorage"},
}
# Collected files only (`motcua serve` collects them first), so WhiteNoise serves their
# compressed copies; the apps' own folders where nothing was collected (tests, development).
from motcua.static_storage import MANIFEST  # noqa: E402

WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / MANIFEST).exists()
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Stored papers are the citizens' data: owner-only files in owner-only folders (motcua/datadir.py).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

UPLOAD_MAX_BYTES = config(
    "MOTCUA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, cast=int, help="Largest accepted document upload, in bytes."
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DOSSIER_UPLOAD_MAX_BYTES = config(
    "MOTCUA_DOSSIER_UPLOAD_MAX_BYTES", 50 * 1024 * 1024, cast=int,
    help="Largest total of the papers of one dossier (or one draft), in bytes; the result files do not count.",
)
DIGITISE_MAX_PAGES = config(
    "MOTCUA_DIGITISE_MAX_PAGES", 300, cast=int,
    help="Most pages of one scan sent for digitisation (OCR into PDF/A); more → 413 `too_many_pages`.",
)
OCR_JOBS = config(
    "MOTCUA_OCR_JOBS", 1, cast=int,
    help="Pages the background worker recognises at once (OCRmyPDF's jobs); each uses one CPU core.",
)
INSPECTION_IDLE_DAYS = config(
    "MOTCUA_INSPECTION_IDLE_DAYS", 3, cast=int,
    help="Working days without any event after which an open dossier is flagged 'untouched' for the inspectors (kiểm tra công vụ).",
)
DRAFT_DAYS = config(
    "MOTCUA_DRAFT_DAYS", 30, cast=int, help="Days an unfinished online filing (draft) is kept after its last change.",
)

EMAIL_URL = config("MOTCUA_EMAIL_URL", "", help="SMTP server as `smtp://user:pass@host:port`; unset: each message is written as a file under MOTCUA_DATA_DIR/mail (never to the log: messages name the applicant).")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
else:
    # Not the console: a message names the applicant, and the console is the server log.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = config("MOTCUA_FROM_EMAIL", "motcua@localhost", help="Sender address of notifications.")
EMAIL_TIMEOUT = config("MOTCUA_EMAIL_TIMEOUT", 10, cast=int, help="Seconds to wait for the SMTP server before an attempt fails (and is retried later).")

# ------------------------------------------------------------------ headers, TLS (docs/operators/deploy.md)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # tracking links carry dossier codes: never sent to other sites
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = [  # motcua.security.headers: features no page uses, refused to all
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
]
# Scripts and styles only from our own static files: no inline script, no inline style, no eval.
# Images may be data: URIs (Swagger UI's icons). The API docs page needs nothing more (tests/security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

PUBLIC_HTTPS = PUBLIC_URL.startswith("https://")
from motcua.net import trusted_proxies  # noqa: E402

TRUSTED_PROXY_ADDRESSES = config(
    "MOTCUA_TRUSTED_PROXY", [], cast=trusted_proxies,
    help="The reverse proxy that sets `X-Forwarded-Proto` (replacing any the client sent): `true` → one on this "
    "machine (127.0.0.1, ::1); or its addresses / networks, comma-separated (`10.0.0.5`). Only requests whose "
    "connection comes from there are believed about HTTPS (HSTS, redirect to HTTPS) and about X-Forwarded-For.",
)
TRUSTED_PROXY = bool(TRUSTED_PROXY_ADDRESSES)
HSTS_SECONDS = config(
    "MOTCUA_HSTS_SECONDS", 31_536_000, cast=int,
    help="Strict-Transport-Security max-age when MOTCUA_PUBLIC_URL is https:// (one year; 0: no HSTS).",
)
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PUBLIC_HTTPS:
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Plain HTTP → HTTPS only when the proxy says which is which (else every request would loop).
    SECURE_SSL_REDIRECT = TRUSTED_PROXY
    # Health checks and metrics scrapes come to the server directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
if PUBLIC_URL:  # forms posted to the public address are trusted, whatever the proxy passes on
    _scheme, _, _host = PUBLIC_URL.split("/", 3)[:3]
    if f"{_scheme}//{_host}" not in CSRF_TRUSTED_ORIGINS:
        CSRF_TRUSTED_ORIGINS.append(f"{_scheme}//{_host}")
# Django's deploy warnings about these are replaced by motcua.W… messages that name the
# variable to set (motcua/security/checks.py); preloading HSTS is a choice for the domain's owner.
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016", "security.W018",
                          "security.W020", "security.W021"]

LOG_LEVEL = config("MOTCUA_LOG_LEVEL", "WARNING", help="Log level of the application's own lines (the request lines are INFO, written whatever this says unless MOTCUA_ACCESS_LOG is false).")
LOG_FORMAT = config(
    "MOTCUA_LOG_FORMAT", "text",
    help="`text`: one readable line per record; `json`: one JSON object per line (time, level, logger, request_id, message, …).",
)
ACCESS_LOG = config(
    "MOTCUA_ACCESS_LOG", True, cast=bool,
    help="One line per request (method, path without query string, status, duration, route, request id).",
)
# Every line goes through motcua.logging_config's filters: request id, personal data redacted.
from motcua.logging_config import django_logging  # noqa: E402

LOGGING = django_logging(LOG_LEVEL, LOG_FORMAT, ACCESS_LOG)
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",  # taken from the proxy when it sends a UUID, else made; always returned
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}

METRICS_ALLOWED = [
    a.strip() for a in config(
        "MOTCUA_METRICS_ALLOWED", "127.0.0.1,::1",
        help="Comma-separated addresses or networks (10.0.0.0/8) that may read GET /metrics; others get 404. "
        "The client address follows MOTCUA_NUM_PROXIES.",
    ).split(",") if a.strip()
]
METRICS_MULTIPROC_DIR = DATA_DIR / "prometheus"  # motcua serve: the gunicorn workers' metric files

# ------------------------------------------------------------------ shared store, throttles
CACHE_URL = config(
    "MOTCUA_CACHE_URL", "",
    help="The store every process shares for throttles: unset → the database (table `motcua_cache`, created by "
    "`migrate`); `redis://host:6379/0` → Redis; `locmem://` → each process's memory (one process only: development).",
)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "motcua"}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache",
                          "OPTIONS": {"MAX_ENTRIES": 200_000}}}

from motcua.operations.rates import parse_rate  # noqa: E402

RATE_TRACK = parse_rate(config(
    "MOTCUA_RATE_TRACK", "60/min",
    help="Public tracking (`/tra-cuu/{code}/` and `GET /api/v1/public/track/{code}` together) per client address; "
    "`N/s`, `N/min`, `N/hour`, `N/day`; `off`: unlimited.",
))
RATE_INTAKE = parse_rate(config(
    "MOTCUA_RATE_INTAKE", "120/min",
    help="Dossiers filed per person (`POST /api/v1/dossiers` and the online filing form together, counted per user "
    "whatever token or session they use; per client address for a form without a login); `off`: unlimited.",
))
RATE_PHONE_CODE = parse_rate(config(
    "MOTCUA_RATE_PHONE_CODE", "3/hour",
    help="One-time codes sent by SMS (password reset, phone verification) per phone number, whether or not it "
    "has an account; `off`: unlimited.",
))
RATE_PHONE_CODE_ADDRESS = parse_rate(config(
    "MOTCUA_RATE_PHONE_CODE_ADDRESS", "20/hour",
    help="Requests for a one-time code by SMS per client address (any numbers); `off`: unlimited.",
))
PHONE_CODE_MINUTES = config(
    "MOTCUA_PHONE_CODE_MINUTES", 10, cast=int,
    help="Minutes a one-time code sent by SMS stays valid; 5 wrong tries also end it.",
)
API_TOKEN_DAYS = config(
    "MOTCUA_API_TOKEN_DAYS", 90, cast=int,
    help="Days an API token works after it is issued (`POST /api/v1/auth/token`, `create-user --print-token`); "
    "`0`: tokens never expire (`check --deploy` warns, as it does above 365). A password change revokes them all.",
)
RATE_ASK = parse_rate(config(
    "MOTCUA_RATE_ASK", "5/hour",
    help="Questions and feedback sent (`POST /api/v1/questions`, `/hoi-dap/`, a dossier's feedback page) per client "
    "address; `off`: unlimited.",
))
RATE_ASK_ACCOUNT = parse_rate(config(
    "MOTCUA_RATE_ASK_ACCOUNT", "10/day",
    help="Questions and feedback sent per signed-in account, whatever the address; `off`: unlimited.",
))

# Citizens' questions and feedback (issue 20): working days to answer, on the unit's calendar.
ANSWER_DAYS_QUESTION = config(
    "MOTCUA_ANSWER_DAYS_QUESTION", 7, cast=int,
    help="Working days to answer a question about a procedure (hỏi đáp), counted on the unit's working calendar.",
)
ANSWER_DAYS_FEEDBACK = config(
    "MOTCUA_ANSWER_DAYS_FEEDBACK", 10, cast=int,
    help="Working days to answer feedback or a complaint about a dossier (phản ánh, kiến nghị: NĐ 20/2008/NĐ-CP Art. 15).",
)

# Logins (staff page, citizen page, admin, POST /api/v1/auth/token): django-axes, in the database.
AXES_FAILURE_LIMIT = config(
    "MOTCUA_LOGIN_FAILURE_LIMIT", 10, cast=int,
    help="Failed logins for one account from one address before that combination is refused (429); "
    "other addresses and other accounts are not affected.",
)
AXES_COOLOFF_TIME = dt.timedelta(minutes=config(
    "MOTCUA_LOGIN_COOLOFF_MINUTES", 15, cast=int,
    help="Minutes a locked account + address waits (each refused attempt starts them again); then it may try again.",
))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per account and address together: a NAT stays open
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login (scripts fetch many tokens)
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "motcua.net.client_address"
AXES_USERNAME_CALLABLE = "motcua.operations.throttles.login_username"
AXES_CLIENT_STR_CALLABLE = "motcua.operations.throttles.login_client_str"
AXES_LOCKOUT_CALLABLE = "motcua.operations.throttles.lockout_response"

NINJA_NUM_PROXIES = config(
    "MOTCUA_NUM_PROXIES",
    0,
    cast=int,
    help="How many reverse proxies (nginx …) stand in front of the app: the client address for "
    "throttling is then read from X-Forwarded-For. 0: the connection's address.",
)

# Serving and background work (docs/commands.md: `motcua serve`, `motcua worker`).
SERVE_HOST = config("MOTCUA_HOST", "127.0.0.1", help="Address `motcua serve` listens on (`--host` overrides).")
SERVE_PORT = config("MOTCUA_PORT", 8000, cast=int, help="Port `motcua serve` listens on (`--port` overrides).")
SERVE_WORKERS = config(
    "MOTCUA_WORKERS", 0, cast=int,
    help="gunicorn worker processes for `motcua serve`; 0: 2 on SQLite, 2 × cores + 1 on PostgreSQL.",
)
SERVE_THREADS = config(
    "MOTCUA_THREADS", 4, cast=int, help="Threads per gunicorn worker process; 1 runs one request at a time per process."
)
# Background tasks live in the database (django-tasks + django-tasks-db): no broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Payments (docs/operators/payments.md). No gateway by default: production never takes money through a test gateway.
PAYMENT_GATEWAYS = [
    g.strip() for g in config(
        "MOTCUA_PAYMENT_GATEWAYS", "",
        help="Comma-separated payment gateways offered online (`vnpay`). Empty (the default): none, "
        "`POST /api/v1/dossiers/{code}/payments` answers 409 `no_gateway`; cash at the counter still works.",
    ).split(",") if g.strip()
]
PAYMENT_SANDBOX = config(
    "MOTCUA_PAYMENT_SANDBOX", False, cast=bool,
    help="`true` mounts the built-in VNPay-compatible sandbox gateway (/thanh-toan/sandbox/) and points `vnpay` "
    "at it when MOTCUA_VNPAY_PAYMENT_URL is unset. No real money moves. `make run` sets it; never in production.",
)
VNPAY_TMN_CODE = config("MOTCUA_VNPAY_TMN_CODE", "", help="The merchant (terminal) code VNPay assigned (vnp_TmnCode, 8 characters).")
VNPAY_HASH_SECRET = config(
    "MOTCUA_VNPAY_HASH_SECRET", "",
    help="VNPay's hash secret (vnp_HashSecret) for HMAC-SHA512 signatures (secret; never logged).",
)
VNPAY_PAYMENT_URL = config(
    "MOTCUA_VNPAY_PAYMENT_URL", "",
    help="The gateway's payment page, e.g. `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html` (VNPay's test "
    "environment) or the production address VNPay gives. Unset with MOTCUA_PAYMENT_SANDBOX: the built-in sandbox.",
)
VNPAY_EXPIRE_MINUTES = config(
    "MOTCUA_VNPAY_EXPIRE_MINUTES", 15, cast=int,
    help="Minutes an online fee order stays payable (vnp_ExpireDate); a pending order older than that is cancelled.",
)

# Notifications (docs/operators/notifications.md): one sender per channel, chosen here.
def _pairs(text: str) -> dict[str, str]:
    """``received=123,paid=456`` → ``{"received": "123", "paid": "456"}``."""
    return {k.strip(): v.strip() for k, _, v in (p.partition("=") for p in text.split(",")) if k.strip() and v.strip()}


SMS_SENDER = config("MOTCUA_SMS_SENDER", "", help="SMS sender: empty (off), `esms` (eSMS.vn brandname SMS) or `demo-sms` (logs only; never in production).")
ZALO_SENDER = config("MOTCUA_ZALO_SENDER", "", help="Zalo sender: empty (off), `zns` (Zalo ZNS) or `demo-zalo` (logs only; never in production).")
NOTIFICATION_SENDERS = {"email": "mail" if EMAIL_URL else "outbox", "sms": SMS_SENDER, "zalo": ZALO_SENDER}
NOTIFICATION_RETRY_DELAYS = [
    int(s) for s in config(
        "MOTCUA_NOTIFY_RETRY_DELAYS", "60,300,1800,7200,21600",
        help="Seconds to wait before each new attempt at a failed notification (comma-separated); after the last, it is marked failed.",
    ).split(",") if s.strip()
]
NOTIFICATION_HTTP_TIMEOUT = config("MOTCUA_NOTIFY_HTTP_TIMEOUT", 10, cast=int, help="Seconds to wait for the SMS or Zalo gateway before an attempt fails.")
ESMS_URL = config(
    "MOTCUA_ESMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/",
    help="eSMS.vn's send endpoint (customer-care brandname SMS).",
)
ESMS_API_KEY = config("MOTCUA_ESMS_API_KEY", "", help="eSMS.vn ApiKey (secret; never logged).")
ESMS_SECRET_KEY = config("MOTCUA_ESMS_SECRET_KEY", "", help="eSMS.vn SecretKey (secret; never logged).")
ESMS_BRANDNAME = config("MOTCUA_ESMS_BRANDNAME", "", help="The registered brandname SMS are sent under.")
ESMS_SANDBOX = config("MOTCUA_ESMS_SANDBOX", False, cast=bool, help="`true`: eSMS test mode (accepted, never delivered).")
ZALO_ZNS_URL = config("MOTCUA_ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template", help="Zalo ZNS send endpoint.")
ZALO_ACCESS_TOKEN = config("MOTCUA_ZALO_ACCESS_TOKEN", "", help="The Zalo Official Account's access token (secret; never logged).")
ZALO_TEMPLATES = _pairs(config(
    "MOTCUA_ZALO_TEMPLATES", "",
    help="ZNS template id per message kind: `received=…,supplement_requested=…,resolved=…,rescheduled=…,refused=…,paid=…`; a kind without one is not sent on Zalo.",
))


# ------------------------------------------------------------------ national systems (motcua/national/)
# docs/configuration.md; protocols: shared/domain/national-systems.md; docs/operators/national.md.
# The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG), reached through its adapter.
DVCQG_URL = config(
    "MOTCUA_DVCQG_URL", "",
    help="Base URL of the national portal's adapter (ADAPTER_URL, or the province's gateway in front of it). "
    "Unset: not connected (with MOTCUA_DVCQG_SANDBOX: the built-in simulator).",
).rstrip("/")
DVCQG_AUTH_PATH = config("MOTCUA_DVCQG_AUTH_PATH", "/auth", help="Appended to MOTCUA_DVCQG_URL: the login call (returns a session).")
DVCQG_INTEGRATION_PATH = config(
    "MOTCUA_DVCQG_INTEGRATION_PATH", "/integration",
    help="Appended to MOTCUA_DVCQG_URL: the integration services (TraCuuHoSo, DongBoHoSoMC, CapNhatTienDoHoSoMC, DongBoDanhGia …).",
)
DVCQG_SHARE_PATH = config(
    "MOTCUA_DVCQG_SHARE_PATH", "/share",
    help="Appended to MOTCUA_DVCQG_URL: the shared services (catalogues: LayDanhSachTTHC, LayDanhMucCoQuan …).",
)
DVCQG_USERNAME = config("MOTCUA_DVCQG_USERNAME", "", help="The province's account at the national portal's adapter.")
DVCQG_PASSWORD = config("MOTCUA_DVCQG_PASSWORD", "", help="Its password (secret; never logged).")
DVCQG_DSTCODE = config("MOTCUA_DVCQG_DSTCODE", "", help="Sent as the `dstcode` header on every call (the code VPCP gave the province's system).")
DVCQG_MADONVI = config("MOTCUA_DVCQG_MADONVI", "", help="The province's unit code at the national portal, sent as `madonvi` on every call.")
DVCQG_SANDBOX = config(
    "MOTCUA_DVCQG_SANDBOX", False, cast=bool,
    help="`true` mounts the built-in loopback simulator of the national portal (/lien-thong/dvcqg-sandbox/) and points "
    "the client at it when MOTCUA_DVCQG_URL is unset. `make run` sets it; never in production (`check --deploy` refuses it).",
)
DVCQG_SANDBOX_SESSION_SECONDS = config(
    "MOTCUA_DVCQG_SANDBOX_SESSION_SECONDS", 600, cast=int,
    help="How long a session the simulator hands out stays valid (the real lifetime is not published; OpenCPS assumes 10 minutes).",
)
DVCQG_TIMEOUT = config("MOTCUA_DVCQG_TIMEOUT", 20, cast=int, help="Seconds to wait for the national portal before a call fails (and is retried later).")
DVCQG_SESSION_MINUTES = config(
    "MOTCUA_DVCQG_SESSION_MINUTES", 10, cast=int,
    help="Minutes a login session is reused before logging in again (a session refused earlier is renewed at once).",
)
DVCQG_RETRY_DELAYS = [
    int(s) for s in config(
        "MOTCUA_DVCQG_RETRY_DELAYS", "60,300,1800,7200,21600,43200",
        help="Seconds to wait before each new attempt at a dossier the national portal did not acknowledge "
        "(comma-separated); after the last, the dossier is parked for an operator (/can-bo/lien-thong/).",
    ).split(",") if s.strip()
]
DVCQG_BATCH_SIZE = config("MOTCUA_DVCQG_BATCH_SIZE", 200, cast=int, help="Dossiers one sync run sends before it hands the worker back (the rest follow at once).")
DVCQG_FILE_LINK_DAYS = config(
    "MOTCUA_DVCQG_FILE_LINK_DAYS", 30, cast=int,
    help="Days a result or paper link sent to the national portal stays valid (an unguessable link to that one file, no login).",
)
DVCQG_PULL_URL = config(
    "MOTCUA_DVCQG_PULL_URL", "",
    help="Pull mode for a gateway that does not push: the address polled for dossiers filed on the national portal "
    "(same body as POST /api/v1/national/dossiers). Unset: push only (with the sandbox: the simulator's queue).",
)
DVCQG_PULL_MINUTES = config("MOTCUA_DVCQG_PULL_MINUTES", 5, cast=int, help="Minutes between two looks at MOTCUA_DVCQG_PULL_URL.")
DVCQG_QUESTIONS_MINUTES = config(
    "MOTCUA_DVCQG_QUESTIONS_MINUTES", 60, cast=int,
    help="Minutes between two reads of the questions asked on the national portal (LayDanhSachHoiDapGuiTuDVCQG).",
)
NATIONAL_FETCH_TIMEOUT = config(
    "MOTCUA_NATIONAL_FETCH_TIMEOUT", 20, cast=int,
    help="Seconds to wait for one paper of an inbound dossier given by URL; a paper that cannot be fetched is recorded on the dossier.",
)
# VNPost public postal service (BCCI).
VNPOST_URL = config("MOTCUA_VNPOST_URL", "", help="Base URL of VNPost's API gateway (token, order, cancel, tracking). Unset: not connected.").rstrip("/")
VNPOST_CUSTOMER_CODE = config("MOTCUA_VNPOST_CUSTOMER_CODE", "", help="The province's customer code at VNPost.")
VNPOST_KEY = config("MOTCUA_VNPOST_KEY", "", help="VNPost API consumer key (client credentials).")
VNPOST_SECRET = config("MOTCUA_VNPOST_SECRET", "", help="VNPost API consumer secret (secret; never logged).")
VNPOST_SANDBOX = config(
    "MOTCUA_VNPOST_SANDBOX", False, cast=bool,
    help="`true` mounts the built-in VNPost simulator and points the client at it when MOTCUA_VNPOST_URL is unset. "
    "`make run` sets it; never in production.",
)
# The population database (CSDL quốc gia về dân cư), through the province's gateway (LGSP).
POPULATION_URL = config("MOTCUA_POPULATION_URL", "", help="The province gateway's address for population-database lookups. Unset: not connected.")
POPULATION_MODE = config("MOTCUA_POPULATION_MODE", "soap", help="`soap` (LGSP SOAP envelope) or `json` (a JSON proxy).")
POPULATION_TOKEN = config("MOTCUA_POPULATION_TOKEN", "", help="The gateway's access token (secret; never logged).")
POPULATION_SANDBOX = config(
    "MOTCUA_POPULATION_SANDBOX", False, cast=bool,
    help="`true` mounts the built-in simulator of the gateway's population lookup (/lien-thong/population-sandbox/) and "
    "points the client at it when MOTCUA_POPULATION_URL is unset. `make run` sets it; never in production.",
)
POPULATION_TIMEOUT = config(
    "MOTCUA_POPULATION_TIMEOUT", 10.0, cast=float,
    help="Seconds the counter waits for the population gateway; then the officer is told to type the data by hand.",
)
POPULATION_MACSDL = config(
    "MOTCUA_POPULATION_MACSDL", "2",
    help="The population database's code (`MaCSDL`) in the national record's `DSKetNoiCSDL` when a dossier used it "
    "(QĐ 766 4.5). The national code list is not published (the national portal itself is `7`); set the one your gateway gives.",
)

# Signed electronic results and their verification (docs/configuration.md; docs/operators/signing.md).
# The agency's key: a PKCS#12 file, or a PKCS#11 token/HSM. Unset: results are not signed.
SIGNING_P12 = config("MOTCUA_SIGNING_P12", "", help="The agency's PKCS#12 file (.p12/.pfx: key and certificate chain) that signs electronic results. Unset (and no PKCS#11 key): results are not signed.")
SIGNING_P12_PASSWORD = config("MOTCUA_SIGNING_P12_PASSWORD", "", help="The password of MOTCUA_SIGNING_P12 (secret; never logged).")
SIGNING_PKCS11_MODULE = config("MOTCUA_SIGNING_PKCS11_MODULE", "", help="The PKCS#11 module (.so) of the agency's token or HSM, e.g. `/usr/lib/softhsm/libsofthsm2.so`; used when MOTCUA_SIGNING_P12 is unset.")
SIGNING_PKCS11_TOKEN = config("MOTCUA_SIGNING_PKCS11_TOKEN", "", help="The label of the token that holds the agency's key.")
SIGNING_PKCS11_PIN = config("MOTCUA_SIGNING_PKCS11_PIN", "", help="The token's user PIN (secret; never logged).")
SIGNING_PKCS11_KEY = config("MOTCUA_SIGNING_PKCS11_KEY", "", help="The label of the agency's key on the token (its certificate carries the same label).")
TSA_URL = config("MOTCUA_TSA_URL", "", help="The RFC 3161 timestamp authority every signature is timestamped by (PAdES B-LT). Required when signing is configured.")
TRUST_ROOTS = config("MOTCUA_TRUST_ROOTS", "", help="A PEM file of the root certificates a signature must chain to (the national root CA, the government special-use root). Verification calls a signature trusted only when it chains to one of them.")
SIGNING_DEMO = config(
    "MOTCUA_SIGNING_DEMO", False, cast=bool,
    help="`true`: make a test PKI once under MOTCUA_DATA_DIR/signing-demo (certificates marked DEMO), serve its "
    "timestamp authority, OCSP and CRLs at /xac-thuc/demo-pki/, and sign with it when no key is configured. "
    "`make run` sets it; never in production.",
)
SIGNING_SEAL_IMAGE = config("MOTCUA_SIGNING_SEAL_IMAGE", "", help="The agency's red seal as a transparent PNG, drawn in the agency signature's box (NĐ 30/2020 App. I); a unit's own seal, set by an administrator, comes first. Unset: no seal image.")
SIGNING_FONT = config("MOTCUA_SIGNING_FONT", "", help="A TrueType font with Vietnamese letters for the visible signature's text (Times New Roman, NĐ 30/2020 App. I). Unset: Liberation Serif, else DejaVu Serif — the first installed that has the Vietnamese letters.")
SIGNING_AGENCY_BOX = config("MOTCUA_SIGNING_AGENCY_BOX", "1,-20,20,230,62", help="Where the agency's visible signature goes: `page,x,y,width,height` in points from the page's top left (page 1 first, -1 the last; a negative x counts from the right edge). Default: the top right of page 1 (NĐ 30/2020 App. I).")
SIGNING_LEADER_BOX = config("MOTCUA_SIGNING_LEADER_BOX", "-1,-40,-150,200,80", help="Where the leader's visible signature goes, as MOTCUA_SIGNING_AGENCY_BOX (a negative y counts from the bottom edge). Default: the bottom right of the last page.")
SIGNING_FORM_BOX = config("MOTCUA_SIGNING_FORM_BOX", "-1,-42,-46,230,62", help="Where the agency's visible signature goes on the printed forms it signs (receipt, supplement request, refusal, apology: where a unit turns \"ký số các mẫu in\" on), as MOTCUA_SIGNING_AGENCY_BOX. Default: the bottom right of the last page, above the footer (the top right holds the national motto).")
SIGNING_TIMEOUT = config("MOTCUA_SIGNING_TIMEOUT", 20, cast=int, help="Seconds to wait for the timestamp authority, OCSP responders and CRL servers before a signing or a verification gives up on them.")


# ------------------------------------------------------------------ citizens' accounts (django-allauth)
# docs/users/citizen.md, docs/operators/sign-on.md. Pages under /tai-khoan/ (accounts/urls.py).
INSTALLED_APPS += ["allauth", "allauth.account", "allauth.socialaccount",
                   "allauth.socialaccount.providers.openid_connect"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "allauth.account.middleware.AccountMiddleware")
ACCOUNT_ADAPTER = "motcua.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "motcua.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "motcua.accounts.forms.SignupForm"}
# Log in with the username (as create-user made it), the e-mail address or the phone number.
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
# Sign up with a phone number or an e-mail address (the form asks for at least one).
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# "optional": a sign-up by e-mail gets a confirmation link; one by phone alone has no e-mail to
# confirm, so verification cannot be mandatory. No SMS codes (no SMS gateway is required).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button (mail scanners follow links)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None  # the visitor chooses "remember me" (a shared phone should not)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PASSWORD_MIN_LENGTH = None  # AUTH_PASSWORD_VALIDATORS decide
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Failed logins are counted by django-axes (per account and address, in the database, above):
# allauth's own login_failed limit is off so there is one counter and one answer (429).
# Its other limits (sign-ups, confirmation and reset e-mails) use the shared cache; over them,
# the Vietnamese 429 page (urls.handler429).
# allauth's per-address "login" limit (30/min) is off too: behind a carrier's NAT many citizens
# share one address, and guessing is already limited per account and address.
ACCOUNT_RATE_LIMITS = {"login_failed": False, "login": False}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button on the login page is a POST form
SOCIALACCOUNT_STORE_TOKENS = False
# account.W001: no login method is a *required* sign-up field because the form requires one
# of phone and e-mail itself (accounts/forms.py).
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "account.W001"]

# National sign-on (the national portal's SSO / VNeID) by OpenID Connect: allauth's
# openid_connect provider, configured only here from the environment (docs/operators/sign-on.md).
# Without an issuer and a client id the login page shows no sign-on button.
OIDC_ISSUER = config(
    "MOTCUA_OIDC_ISSUER", "",
    help="The OpenID Connect issuer of the national sign-on (its discovery document is ISSUER/.well-known/"
    "openid-configuration), e.g. `https://sso.dancuquocgia.gov.vn/auth/realms/citizen`. Unset: no national sign-on.",
).rstrip("/")
OIDC_ENDPOINTS = {
    key: value for key, value in {
        "authorization_endpoint": config("MOTCUA_OIDC_AUTHORIZATION_URL", "", help="Overrides the discovered authorization endpoint (e.g. `https://xacthuc.dichvucong.gov.vn/oauth2/authorize`)."),
        "token_endpoint": config("MOTCUA_OIDC_TOKEN_URL", "", help="Overrides the discovered token endpoint."),
        "userinfo_endpoint": config("MOTCUA_OIDC_USERINFO_URL", "", help="Overrides the discovered userinfo endpoint."),
        "jwks_uri": config("MOTCUA_OIDC_JWKS_URL", "", help="Overrides the discovered signing keys (JWKS) address."),
    }.items() if value
}
OIDC_CLIENT_ID = config("MOTCUA_OIDC_CLIENT_ID", "", help="The client id the national portal / VNeID registered for this province.")
OIDC_CLIENT_SECRET = config("MOTCUA_OIDC_CLIENT_SECRET", "", help="The client secret that goes with MOTCUA_OIDC_CLIENT_ID (secret; never logged).")
OIDC_SCOPES = config("MOTCUA_OIDC_SCOPES", "openid", help="Space- or comma-separated scopes asked for (the national portal: `openid`).").replace(",", " ").split()
OIDC_NAME = config("MOTCUA_OIDC_NAME", "VNeID", help="The sign-on's name on the button: “Đăng nhập bằng …”.")
OIDC_PROVIDER_ID = config("MOTCUA_OIDC_PROVIDER_ID", "vneid", help="The sign-on's id in addresses: the redirect URI to register is PUBLIC_URL/tai-khoan/oidc/ID/login/callback/.")
OIDC_ACR_VALUES = config("MOTCUA_OIDC_ACR_VALUES", "", help="`acr_values` sent with the authorization request (the national portal: `LoA1`); empty: none.")
OIDC_PKCE = config("MOTCUA_OIDC_PKCE", True, cast=bool, help="Send a PKCE code challenge (S256) with the authorization request.")
OIDC_TOKEN_AUTH = config(
    "MOTCUA_OIDC_TOKEN_AUTH", "",
    help="How the client authenticates at the token endpoint: `client_secret_post` or `client_secret_basic`; empty: as discovered.",
)
OIDC_DISCOVERY = config(
    "MOTCUA_OIDC_DISCOVERY", True, cast=bool,
    help="`true`: read the endpoints from ISSUER/.well-known/openid-configuration (the MOTCUA_OIDC_*_URL given "
    "override it); `false`: no discovery, use only the MOTCUA_OIDC_*_URL endpoints (authorization, token, userinfo, JWKS).",
)
# Without discovery, allauth reads this in-process document instead (accounts/adapter.py).
OIDC_CONFIGURED_DISCOVERY = "motcua-oidc://settings/.well-known/openid-configuration"
_oidc_endpoints_only = not OIDC_DISCOVERY and {"authorization_endpoint", "token_endpoint"} <= OIDC_ENDPOINTS.keys()
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
if OIDC_CLIENT_ID and ((OIDC_DISCOVERY and OIDC_ISSUER) or _oidc_endpoints_only):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append({
        "provider_id": OIDC_PROVIDER_ID,
        "name": OIDC_NAME,
        "client_id": OIDC_CLIENT_ID,
        "secret": OIDC_CLIENT_SECRET,
        "settings": {
            "server_url": OIDC_ISSUER if OIDC_DISCOVERY else OIDC_CONFIGURED_DISCOVERY,
            "scope": OIDC_SCOPES,
            "oauth_pkce_enabled": OIDC_PKCE,
            "fetch_userinfo": True,
            **({"token_auth_method": OIDC_TOKEN_AUTH} if OIDC_TOKEN_AUTH else {}),
            **({"auth_params": {"acr_values": OIDC_ACR_VALUES}} if OIDC_ACR_VALUES else {}),
            **({"openid_configuration_overrides": OIDC_ENDPOINTS} if OIDC_ENDPOINTS else {}),
        },
    })
