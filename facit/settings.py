"""facit settings: every value comes from the environment (see .env.example).

Bad values fail loudly at start-up rather than falling back silently.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("FACIT_TESTING", "pytest" in sys.modules)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Visible on every page when the database holds invented demonstration data.
DEMO_MODE = env_bool("FACIT_DEMO", False)

INSTALLED_APPS = [
    "facit.core",
    "facit.accounts",
    "facit.web",
    "facit.evidence",
    "facit.literature",
    "facit.directory",
    "facit.guidance",
    "facit.panel",
    "facit.api",
    "facit.core.apps.FacitAdminConfig",  # django.contrib.admin, read-only, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from static files (no CDN; CSP-safe)
]

MIDDLEWARE = [
    "facit.core.request_log.RequestIdMiddleware",  # first: every log line carries the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "facit.core.body_limit.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "facit.accounts.middleware.RequireTwoFactorMiddleware",
    "facit.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "facit.panel.middleware.PanelIdleTimeoutMiddleware",
    "facit.accounts.middleware.CoordinatorIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "facit.urls"
WSGI_APPLICATION = "facit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "facit.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Production stack: a broken pooled connection is replaced instead of failing requests
# (PostgreSQL restarted), and a database that cannot be reached fails within seconds.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
elif os.environ.get("SQLITE_TIMEOUT"):
    DATABASES["default"]["OPTIONS"]["timeout"] = float(os.environ["SQLITE_TIMEOUT"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests examine.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "facit.accounts.password_validation.RepetitionValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = "facit"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Panel members' sessions end after this many idle seconds (see panel.middleware).
PANEL_IDLE_TIMEOUT = env_int("PANEL_IDLE_TIMEOUT", 30 * 60)
# The coordinator is signed out after this many idle seconds, and sees panel identities
# only within FACIT_REAUTH_MINUTES of a full sign-in (password and code; accounts.reauth).
COORDINATOR_IDLE_TIMEOUT = env_int("COORDINATOR_IDLE_TIMEOUT", 15 * 60)
FACIT_REAUTH_MINUTES = env_int("FACIT_REAUTH_MINUTES", 10)
# Sign-in attempts (accounts.throttle): per client IP across usernames, and per username
# across IPs (slower); "N/m" or "N/h", empty for no limit (as in tests).
FACIT_LOGIN_IP_RATE = os.environ.get("FACIT_LOGIN_IP_RATE", "" if TESTING else "20/h")
FACIT_LOGIN_USERNAME_RATE = os.environ.get("FACIT_LOGIN_USERNAME_RATE", "" if TESTING else "30/h")

# Email notices (panel answers, new comments): console unless SMTP is configured.
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "facit <noreply@localhost>")
# Links in notices start with this address.
FACIT_SITE_URL = os.environ.get("FACIT_SITE_URL", "http://127.0.0.1:8000")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS: with DEBUG off, plain-HTTP requests are redirected and browsers told to keep to
# HTTPS for a year. Behind a TLS-terminating proxy set BEHIND_TLS_PROXY=true (the proxy
# sends X-Forwarded-Proto); the health probes answer over plain HTTP too.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# "preload" in the header only allows submitting the domain to browsers' preload list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []  # each app keeps its own locale/ directory
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Size limits (README "Limits"): a reference file for import; any request body of a
# signed-in user (the largest upload plus form fields); any anonymous request body.
FACIT_IMPORT_MAX_BYTES = env_int("FACIT_IMPORT_MAX_BYTES", 25 * 1024 * 1024)
FACIT_MAX_REQUEST_BYTES = env_int("FACIT_MAX_REQUEST_BYTES", 30 * 1024 * 1024)
FACIT_MAX_ANON_REQUEST_BYTES = env_int("FACIT_MAX_ANON_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", FACIT_MAX_REQUEST_BYTES)
# Largest full-text PDF a reviewer may attach to a reference (bytes); below the request limit.
LITERATURE_FULLTEXT_MAX_BYTES = env_int("LITERATURE_FULLTEXT_MAX_BYTES", 25 * 1024 * 1024)

# Background work: database-backed worker by default, RQ on Redis when REDIS_URL is set.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate" if TESTING else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}

REDIS_URL = os.environ.get("REDIS_URL", "")
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 3600),
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 10,
        }
    }
if REDIS_URL:
    # With Redis away, reads miss and writes are skipped: pages still render.
    CACHES = {
        "default": {
            "BACKEND": "facit.core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The computed evidence map is shared by the web processes through this cache, when Redis
# is configured (facit.evidence.gapmap.cache); empty: each process keeps its own.
FACIT_MAP_SHARED_CACHE = "default" if REDIS_URL else ""
# Rate limits (facit.core.throttling) need a cache all workers share: Redis when configured,
# else files under var/ (a per-process memory cache in tests).
if REDIS_URL:
    CACHES["throttle"] = CACHES["default"]
elif TESTING:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    }
else:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("THROTTLE_CACHE_DIR", str(BASE_DIR / "var" / "throttle")),
    }
# Anonymous API requests per client IP ("N/s", "N/m", "N/h"; empty: no limit, as in tests).
FACIT_API_ANON_RATE = os.environ.get("FACIT_API_ANON_RATE", "" if TESTING else "120/m")
FACIT_TERMINOLOGY_ANON_RATE = os.environ.get(
    "FACIT_TERMINOLOGY_ANON_RATE", "" if TESTING else "20/m"
)

# Logs: JSON lines on stderr (LOG_FORMAT=json, the default with DEBUG off) or plain text,
# each with the request id; facit's own loggers at LOG_LEVEL_FACIT (INFO in production:
# one access line per request, one line per job step). No personal data in any line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "facit.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "facit.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "facit": {
            "level": os.environ.get("LOG_LEVEL_FACIT", "WARNING" if DEBUG or TESTING else "INFO")
        },
        # django.server repeats the access line in development, and django.request names the
        # path of every 4xx; facit.access has both, without the path.
        "django.server": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
    },
}
# django-axes describes a client without username, address or browser in its log lines.
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "facit.core.logs.axes_client_str"

# Where the quick-exit button sends a person: a neutral site that reveals nothing.
FACIT_EXIT_URL = os.environ.get("FACIT_EXIT_URL", "https://www.wikipedia.org/")
