"""Settings, read only from the environment.

Every setting is documented in docs/configuration.md.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("GONGKAI_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Production mode: a real secret key is mandatory and the embedded conveniences are off.
PRODUCTION = env_bool("GONGKAI_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production (GONGKAI_PRODUCTION=true) the server refuses to "
            "start without one; generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # The embedded default keeps its own key beside its database so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _embedded_key(name: str, setting: str) -> str:
    """A key kept beside the embedded database (as the secret key is), or refused in production."""
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{setting} is not set. In production (GONGKAI_PRODUCTION=true) the server refuses to "
            "start without one; generate one with: python3 -c 'import base64, secrets; "
            "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' "
            "(docs/configuration.md)"
        )
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


# Identity numbers are stored encrypted (Fernet) with the first of these keys; the others still
# decrypt older rows, so a key is rotated by putting a new one first (docs/operations.md).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", []) or [
    _embedded_key("field_encryption_key", "FIELD_ENCRYPTION_KEYS")
]
# The keyed hash (HMAC-SHA256) stored beside each identity number so one applicant's requests
# can be matched without decrypting. Changing it needs `gongkai reencrypt` to rehash the rows.
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY") or _embedded_key("field_hash_key", "FIELD_HASH_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.audit",
    "gongkai.workdays",
    "gongkai.catalog",
    "gongkai.interaction",
    "gongkai.applications",
    "gongkai.reports",
    # search, portal, staticpub in this order: their after-commit callbacks on a published or
    # withdrawn item run in it (index, then retire cached pages, then write static files), so a
    # page rebuilt after the cache is retired already sees the index's new state.
    "gongkai.search",
    "gongkai.dashboard",
    "gongkai.inspection",
    "gongkai.portal",
    "gongkai.archives",
    "gongkai.staticpub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "gongkai.core.middleware.SiteLanguageMiddleware",
    "gongkai.core.middleware.CleanInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "gongkai.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite (WAL) in the data directory unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while one writer writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lockout: this many failures within the window locks the account, or the address.
LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Two-step sign-in (TOTP) for 签发领导, 保密审查员, 公开办负责人 and administrators. Always on in
# production; the embedded demo leaves it off so its accounts sign in with a password alone.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
if PRODUCTION and not TWO_FACTOR_REQUIRED:
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED cannot be turned off in production.")
# The name authenticator apps show beside the account.
TWO_FACTOR_ISSUER = env_str("TWO_FACTOR_ISSUER", "政府信息公开")
# API tokens are valid for at most this many days (the default for new ones).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 180)
# Staff sessions end after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
# HTTPS only, remembered by browsers (HSTS): on in production (a year) unless set; sent by
# Django only on HTTPS requests, and by nginx as well (docs/operations.md).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_REFERRER_POLICY = "same-origin"
# The Content-Security-Policy (gongkai.core.headers) is enforced; true only reports violations.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# How many proxies in front of us append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# WhiteNoise warns on every start when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Several app servers (docs/operations.md): uploaded files in S3-compatible object storage
# (MinIO in most offices) when S3_BUCKET is set, through django-storages; files are always
# served through the application (which checks access), never from the bucket directly.


def _require(module: str, setting: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ImproperlyConfigured(
            f"{setting} is set but the {module!r} package is missing: install the several-servers "
            "extra with `pip install -c requirements/constraints.txt -e '.[multiserver]'`."
        )


S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _require("storages", "S3_BUCKET")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "location": env_str("S3_PREFIX"),
            # MinIO and most self-hosted stores want http://host:9000/bucket/key addresses.
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Redis, when set: the cache shared by every server process, sessions read through it (kept in
# the database too), and the public forms' rate-limit counters (gongkai.lib.ratelimit).
REDIS_URL = env_str("REDIS_URL")


def _redis_retry():
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Retry(NoBackoff(), 1)


if REDIS_URL:
    _require("redis", "REDIS_URL")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gongkai",
            "TIMEOUT": 600,
            # A Redis that is away costs each request about a second, not the default retries.
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 1, "retry": _redis_retry()},
        }
    }
    SESSION_ENGINE = "gongkai.core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The portal's full-page cache (gongkai.portal.pagecache) must be one store for every server
# process, since a change made through one must retire the pages all of them serve: Redis when
# set, else files in the data directory (portal.pagestore: Django's file cache without zlib, a
# quarter of its cost per hit and cheaper than a SQLite table).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "gongkai-pages"}
    if REDIS_URL
    else {
        "BACKEND": "gongkai.portal.pagestore.PageFileCache",
        "LOCATION": str(DATA_DIR / "pagecache"),
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
    }
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_MB", 50) * 1024 * 1024
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 50)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # SMTPS on port 465 (most hosted mail in China)
# Seconds before an unanswered mail server counts as failed, so it cannot hang the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkai@localhost")
# Text messages to applicants (gongkai.core.sms): the gateway class and its key=value options.
SMS_BACKEND = env_str("SMS_BACKEND", "gongkai.core.sms.ConsoleSmsBackend")
SMS_OPTIONS = dict(part.split("=", 1) for part in env_list("SMS_OPTIONS", []) if "=" in part)
# 依申请公开 online: a second identical request within these days is caught before it is stored;
# how long a signed receipt link (hours) and a download link (minutes) stay valid.
APPLICATIONS_DUPLICATE_DAYS = env_int("APPLICATIONS_DUPLICATE_DAYS", 30)
APPLICATIONS_RECEIPT_LINK_HOURS = env_int("APPLICATIONS_RECEIPT_LINK_HOURS", 72)
APPLICATIONS_DOWNLOAD_LINK_MINUTES = env_int("APPLICATIONS_DOWNLOAD_LINK_MINUTES", 30)

# The site footer every government site carries.
SITE_ORGANISER = env_str("SITE_ORGANISER", "乳山市人民政府")
SITE_ID_CODE = env_str("SITE_ID_CODE")  # 网站标识码
SITE_ICP = env_str("SITE_ICP")  # ICP备案号
SITE_PSB = env_str("SITE_PSB")  # 公安机关备案号

WORKER_POLL_SECONDS = env_int("WORKER_POLL_SECONDS", 30)
# Static publishing (gongkai.staticpub): the directory nginx serves the public pages from, as
# files written when items and columns change (empty: off, the app serves every page). The
# thread renders changed pages right after commit; the worker's job catches up on the rest.
STATIC_PUBLISH_DIR = env_str("STATIC_PUBLISH_DIR")
STATIC_PUBLISH_THREAD = env_bool("STATIC_PUBLISH_THREAD", True)
DUE_SOON_WORKDAYS = env_int("DUE_SOON_WORKDAYS", 3)
# Catalog (主动公开): attachment size limit, the 条例26 period, withheld-register reassessment.
CATALOG_ATTACHMENT_MAX_MB = env_int("CATALOG_ATTACHMENT_MAX_MB", 50)
# Text read out of one uploaded file is cut at this many characters (the rest is not checked,
# and the clerk is told so).
EXTRACTED_TEXT_MAX_CHARS = env_int("EXTRACTED_TEXT_MAX_CHARS", 1_000_000)
CATALOG_PUBLISH_WITHIN_WORKDAYS = env_int("CATALOG_PUBLISH_WITHIN_WORKDAYS", 20)
CATALOG_WITHHELD_REASSESS_MONTHS = env_int("CATALOG_WITHHELD_REASSESS_MONTHS", 12)

# Public forms (gongkai.lib.ratelimit, gongkai.lib.captcha): limits per client address and form,
# "scope=N/period;N/period" separated by commas,
# e.g. "mailbox.submit=5/h;20/d,mailbox.status=10/15m".
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
RATELIMITS = dict(part.split("=", 1) for part in env_list("RATELIMITS", []) if "=" in part)
CAPTCHA_MAX_AGE_MINUTES = env_int("CAPTCHA_MAX_AGE_MINUTES", 30)
# Lets tests answer every CAPTCHA with a fixed word; refused in production below.
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", False)
# The mayor's mailbox: working days a department has for a forwarded letter; attachment size.
MAILBOX_FORWARD_WORKDAYS = env_int("MAILBOX_FORWARD_WORKDAYS", 5)
MAILBOX_ATTACHMENT_MAX_MB = env_int("MAILBOX_ATTACHMENT_MAX_MB", 10)
# Annual reports (条例49): the day of the following year by which each kind of organ must publish
# its report, "kind=MM-DD" separated by commas; kinds left out keep these defaults.
REPORT_DEADLINE_MONTH_DAY = {
    "city": "03-31",
    "department": "01-31",
    "township": "01-31",
    **dict(part.split("=", 1) for part in env_list("REPORT_DEADLINE_MONTH_DAY", []) if "=" in part),
}

# The audit log keeps every row at least this many months (等保: no less than 6); only older rows
# can be purged, after export (`gongkai audit purge`).
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 6)
if AUDIT_RETENTION_MONTHS < 6:
    raise ImproperlyConfigured("AUDIT_RETENTION_MONTHS must be at least 6 (GB/T 22239-2019).")

# Self-inspection (国办秘函〔2019〕19号): thresholds as "name=number" separated by commas; names
# left out keep their defaults (docs/inspection.md lists them all).
INSPECTION_THRESHOLDS = {
    part.split("=", 1)[0].strip(): part.split("=", 1)[1].strip()
    for part in env_list("INSPECTION_THRESHOLDS", [])
    if "=" in part
}
# The crawler: pages per unit and per run, pause between requests, outbound links.
INSPECTION_CRAWL_MAX_PAGES = env_int("INSPECTION_CRAWL_MAX_PAGES", 300)
INSPECTION_CRAWL_DELAY_MS = env_int("INSPECTION_CRAWL_DELAY_MS", 500)
INSPECTION_CRAWL_EXTERNAL = env_bool("INSPECTION_CRAWL_EXTERNAL", False)
INSPECTION_EXTERNAL_CACHE_HOURS = env_int("INSPECTION_EXTERNAL_CACHE_HOURS", 72)
# Sites this deployment probes from outside, "unit_code=URL" separated by commas (e.g. the city
# probing each township's own deployment).
INSPECTION_PROBE_TARGETS = dict(
    part.split("=", 1) for part in env_list("INSPECTION_PROBE_TARGETS", []) if "=" in part
)
# The XLSX export's indicator columns, "code=title" in order (empty: all, with their names).
INSPECTION_EXPORT_COLUMNS = env_list("INSPECTION_EXPORT_COLUMNS", [])

if PRODUCTION and CAPTCHA_TEST_MODE:
    raise ImproperlyConfigured("CAPTCHA_TEST_MODE must be off in production.")

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (GONGKAI_PRODUCTION=true).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "gongkai.lib.logfilters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        # 403s in one line, without the PermissionDenied traceback.
        "django.request": {"filters": ["one_line_403"]},
    },
}
