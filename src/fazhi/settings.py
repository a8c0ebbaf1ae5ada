"""Settings, all from environment variables with safe defaults.

Variables (all optional):

- ``FAZHI_ENV``: ``development`` (default) or ``production``. Production requires ``FAZHI_SECRET_KEY`` and
  ``FAZHI_ALLOWED_HOSTS`` and turns on every HTTPS protection, so ``fazhi check --deploy`` passes.
- ``FAZHI_DEBUG``: ``1`` to show Django's debug pages (never in production).
- ``DATABASE_URL``: ``postgres://user@127.0.0.1:5432/name``; default is the embedded SQLite file
  ``$FAZHI_DATA_DIR/fazhi.sqlite3``.
- ``FAZHI_DATA_DIR``: where local files live (SQLite database, development secret key); default ``./var`` in
  the checkout.
- ``FAZHI_SECRET_KEY``, ``FAZHI_ALLOWED_HOSTS`` (comma separated), ``FAZHI_CSRF_TRUSTED_ORIGINS``.
- ``REDIS_URL``: ``redis://127.0.0.1:6379/0``; the cache shared by all processes (rate-limit counters). Default is
  memory local to each process, so each process then counts for itself.
- ``FAZHI_ANON_RATE``: requests per client for anonymous use of ``/api/v1/``: ``120/min`` (default), ``10/s``,
  ``3000/h``; ``0`` or ``off`` turns the limit off. ``FAZHI_TRUSTED_PROXIES``: comma-separated addresses or
  networks of reverse proxies whose ``X-Forwarded-For`` is believed (default: none, ``REMOTE_ADDR`` counts).
- ``FAZHI_API_CACHE_SECONDS``: ``max-age`` of anonymous API answers (default 60).
- ``FAZHI_SIGNING_KEY``: the Ed25519 private key that signs enforcement-certificate QR codes, as PEM text or the
  path of a PEM file; without it one is generated once as ``$FAZHI_DATA_DIR/signing_key.pem``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


FAZHI_ENV = os.environ.get("FAZHI_ENV", "development").strip().lower()
PRODUCTION = FAZHI_ENV == "production"
DATA_DIR = Path(os.environ.get("FAZHI_DATA_DIR") or (REPO_DIR / "var")).resolve()

DEBUG = _env_bool("FAZHI_DEBUG", default=False) and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("FAZHI_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("生产环境必须设置 FAZHI_SECRET_KEY（至少 50 个随机字符）。")
    # Development: a random key kept in the data directory, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()


def _signing_key() -> str:
    """Ed25519 key for certificate QR codes (``fazhi.enforcement.signing``): the variable, or else a key generated once
    and kept in the data directory (back it up with the data: a lost key makes printed QR codes unverifiable)."""
    key = os.environ.get("FAZHI_SIGNING_KEY", "").strip()
    path = DATA_DIR / "signing_key.pem"
    if key or path.exists():
        return key or str(path)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"signing_key.{os.getpid()}.tmp")
    tmp.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)  # atomic, and never replaces a key another process wrote first
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return str(path)


FAZHI_SIGNING_KEY = _signing_key()

ALLOWED_HOSTS = _env_list("FAZHI_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 FAZHI_ALLOWED_HOSTS。")
CSRF_TRUSTED_ORIGINS = _env_list("FAZHI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the interactive API page from its own static files (no CDN)
    "fazhi.core",
    "fazhi.audit",
    "fazhi.org",
    "fazhi.clock",
    "fazhi.publicity",
    "fazhi.ingest",
    "fazhi.portal",
    "fazhi.enforcement",
    "fazhi.discretion",
    "fazhi.cases",
    "fazhi.oversight",
    "fazhi.supervision",
    "fazhi.reports",
    "fazhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fazhi.core.security.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fazhi.core.middleware.RequestIdMiddleware",
    # Outside session, CSRF and the rate limit, so it sees the final API answer (cookies, 429) — docs/decisions/0007.
    "fazhi.core.httpcache.ApiCacheHeadersMiddleware",
    "fazhi.core.middleware.RejectNulMiddleware",
    "fazhi.core.middleware.OutOfRangeMiddleware",  # an id too large for the database: 404 / 422, not 500
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fazhi.core.ratelimit.AnonymousRateLimitMiddleware",  # needs request.user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context_processors.site",
                "fazhi.core.nav.workspace",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL when DATABASE_URL is set.
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "fazhi.sqlite3"),
            "OPTIONS": {
                # Writers take the lock when the transaction starts, so concurrent writers queue instead of
                # failing half-way with "database is locked" (see docs/decisions/0001-databases.md).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a real file too, so concurrent writers meet the same locking as in production; one file per
            # test process, so two test runs on one checkout do not share (and destroy) each other's database.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (one rate-limit count across all processes and servers), else memory local to
# the process. Short socket timeouts: an unreachable Redis must cost a request little (the limit fails open).
_redis_url = os.environ.get("REDIS_URL", "").strip()
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "fazhi",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("FAZHI_STATIC_ROOT") or (DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from the npm registry at set-up time (package.json); nothing third-party is committed.
STATICFILES_DIRS = [
    ("vendor/htmx", REPO_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", REPO_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("FAZHI_MEDIA_ROOT") or (DATA_DIR / "media"))
# Uploads larger than this go to a temporary file instead of memory (big files are streamed, never read whole).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A staff session ends after a working day (FAZHI_SESSION_HOURS, default 8) and when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("FAZHI_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Pages carry the CSRF token in the HTML (base.html's hx-headers), so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Login throttling (fazhi.core.security): failed attempts per user name and client address, and the lock-out window.
FAZHI_LOGIN_FAILURES = int(os.environ.get("FAZHI_LOGIN_FAILURES", "5"))
FAZHI_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("FAZHI_LOGIN_LOCKOUT_SECONDS", "900"))
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("FAZHI_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("FAZHI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAZHI_LOG_LEVEL", "INFO")},
}

# --- fazhi's own settings -------------------------------------------------------------------------------
# How many working days before a deadline it counts as "due soon" (临期); configurable per deployment.
FAZHI_DUE_SOON_WORKING_DAYS = int(os.environ.get("FAZHI_DUE_SOON_WORKING_DAYS", "2"))
# Anonymous use of /api/v1/: requests per client and window ("120/min", "10/s", "3000/h"; "0" or "off": no limit).
# Signed-in users and valid API tokens are not limited. See docs/decisions/0007-rate-limit-and-http-caching.md.
FAZHI_ANON_RATE = os.environ.get("FAZHI_ANON_RATE", "").strip() or "120/min"
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; none by default.
FAZHI_TRUSTED_PROXIES = _env_list("FAZHI_TRUSTED_PROXIES", "")
# How long browsers and shared caches may keep an anonymous API answer (Cache-Control: public, max-age=N).
FAZHI_API_CACHE_SECONDS = int(os.environ.get("FAZHI_API_CACHE_SECONDS", "60"))
