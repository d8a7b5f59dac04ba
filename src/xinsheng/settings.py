"""Settings for Xinsheng, configured by environment variables (see README, "Configuration")."""

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("XINSHENG_VAR_DIR", Path.cwd() / "var")).resolve()
TESTING = "pytest" in sys.modules


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable ``name`` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if TESTING:
        return "test-only-" + "x" * 50
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xinsheng.core",
    "xinsheng.org",
    "xinsheng.cases",
    "xinsheng.projects",
    "xinsheng.talks",
    "xinsheng.care",
    "xinsheng.reports",
    "xinsheng.insight",
    "xinsheng.proposals",
    "xinsheng.engage",
    "xinsheng.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinsheng.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xinsheng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "xinsheng.core.middleware.UserErrorMiddleware",
    "xinsheng.core.middleware.NulCharacterMiddleware",
]
# The public forms and writes that apps name (``PUBLIC_PATHS``, ``core.public_requests``) pass
# only the middleware they use: no session, sign-in, messages, login lockout or static files.
PUBLIC_MIDDLEWARE = [
    name
    for name in MIDDLEWARE
    if name
    not in {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    }
]

ROOT_URLCONF = "xinsheng.urls"
# The figures' covering indexes (INCLUDE columns) are PostgreSQL's; SQLite uses the plain index.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
WSGI_APPLICATION = "xinsheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinsheng.org.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# PostgreSQL in production (DATABASE_URL=postgres://…); SQLite under var/ for the demo.
if TESTING and not os.environ.get("DATABASE_URL"):
    DATABASES: dict[str, dict[str, Any]] = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    }
else:
    DATABASES = {
        "default": dict(
            dj_database_url.parse(
                os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xinsheng.sqlite3'}"),
                conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
                conn_health_checks=True,
            )
        )
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif os.environ.get("DB_PREPARED_STATEMENTS", "on") != "off":
    # psycopg prepares only the statements the code asks it to (``core.prepared_statements``).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
CACHES: dict[str, dict[str, Any]]
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Without Redis, files under var/: every process of this host counts together (rate limits
    # hold across web workers, and across a restart). Several hosts need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Background work ------------------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# --- Authentication and security ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a signed-in user with their roles in one statement.
    "xinsheng.org.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose; tests hash many passwords and prove nothing by waiting.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

HTTPS = env_bool("HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Sessions are kept in the cache with the database behind it: a signed-in page reads the cache
# (Redis, or the files under var/), not a session row; a cache that lost one reads the row.
# Signing out deletes both; a kept copy expires with the session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "xinsheng.core.csrf.csrf_failure"
if HTTPS:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise from the web process; no CDN) ---------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xinsheng@localhost")

# --- Text messages (see xinsheng/core/sms.py and docs/deployment.md) ----------------------------
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "xinsheng.core.sms.LocmemBackend" if TESTING else "xinsheng.core.sms.ConsoleBackend",
)
# Options given to the SMS backend's class, e.g. a gateway's address and key (JSON).
SMS_OPTIONS: dict[str, Any] = json.loads(os.environ.get("SMS_OPTIONS", "{}"))

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xinsheng.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "xinsheng.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xinsheng 心声 API",
    "DESCRIPTION": "Staff and public endpoints of Xinsheng. Errors are JSON: "
    '{"code": "<stable code>", "message": "<Chinese message>"}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Logging: to stderr; never request addresses or agents (see docs/architecture.md) ------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Xinsheng -------------------------------------------------------------------------------------
XINSHENG: dict[str, Any] = {
    # Largest import file accepted, in bytes.
    "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024))),
    # Working days a unit has to sign for a dispatched case (the response clock).
    "RESPONSE_DAYS": int(os.environ.get("CASE_RESPONSE_DAYS", "1")),
    # Days after an answer before an unrated case closes as "not rated".
    "UNRATED_CLOSE_DAYS": int(os.environ.get("CASE_UNRATED_CLOSE_DAYS", "7")),
    # An anonymous case from a unit with fewer people shows the nearest larger ancestor instead.
    "SMALL_UNIT_THRESHOLD": int(os.environ.get("SMALL_UNIT_THRESHOLD", "10")),
    # Public intake: submissions per client per hour, held only in the cache.
    "INTAKE_RATE_PER_HOUR": int(os.environ.get("INTAKE_RATE_PER_HOUR", "20")),
    # Public receipt look-ups per client per hour (wrong codes count).
    "RECEIPT_RATE_PER_HOUR": int(os.environ.get("RECEIPT_RATE_PER_HOUR", "60")),
    # Public recoveries of receipt codes per client per hour (asking for a one-time code, and
    # every try of one, count).
    "RECOVER_RATE_PER_HOUR": int(os.environ.get("RECOVER_RATE_PER_HOUR", "10")),
    # Public look-ups of similar voices per client per hour (the form asks as one types).
    "SIMILAR_RATE_PER_HOUR": int(os.environ.get("SIMILAR_RATE_PER_HOUR", "300")),
    # Public quiz requests (starting, submitting, results, leaderboards) per client per hour: a
    # shift answering on one canteen Wi-Fi shares one address.
    "QUIZ_RATE_PER_HOUR": int(os.environ.get("QUIZ_RATE_PER_HOUR", "600")),
    # Minutes between the scheduler's rounds of periodic tasks (deadline sweep, closing unrated).
    "SWEEP_INTERVAL_MINUTES": int(os.environ.get("SWEEP_INTERVAL_MINUTES", "15")),
    # Cases the demo creates (none under tests, where each demo load would take a minute).
    "DEMO_CASES": int(os.environ.get("DEMO_CASES", "0" if TESTING else "3000")),
    # Base address used in QR codes and e-mails, e.g. https://xinsheng.example.com
    "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
    # Ledger exports up to this many rows download at once; larger ones run as a task.
    "EXPORT_INLINE_ROWS": int(os.environ.get("EXPORT_INLINE_ROWS", "5000")),
    # 满意率 = (满意 + 基本满意 × this weight) ÷ rated cases.
    "SATISFACTION_BASIC_WEIGHT": float(os.environ.get("SATISFACTION_BASIC_WEIGHT", "1")),
    # A unit whose talk and visit coverage (people reached ÷ headcount) is below this is lagging.
    "TALK_COVERAGE_THRESHOLD": float(os.environ.get("TALK_COVERAGE_THRESHOLD", "0.9")),
    # Weights of 响应率, 解决率 and 满意率 in the composite score.
    "SCORE_WEIGHTS": tuple(float(w) for w in env_list("SCORE_WEIGHTS", "30,35,35")),
    # A unit with fewer rated cases in the period is listed but not ranked.
    "RANK_MIN_RATED": int(os.environ.get("RANK_MIN_RATED", "10")),
    # Units on the red list (top) and the black list (bottom) of a ranking.
    "RANK_LIST_SIZE": int(os.environ.get("RANK_LIST_SIZE", "5")),
    # The dashboard opens on the month so far once it has had this many days; before, on the
    # last complete month (docs/metrics.md).
    "REPORT_MONTH_MIN_DAYS": int(os.environ.get("REPORT_MONTH_MIN_DAYS", "7")),
    # The language every briefing is written in (zh-hans, en); empty: the interface language of
    # the user who generates it (reports/briefing.py).
    "BRIEFING_LANGUAGE": os.environ.get("BRIEFING_LANGUAGE", ""),
    # Whether the public board of practical-matter projects (/board/<unit code>/) needs no login.
    "PUBLIC_BOARD": env_bool("PUBLIC_BOARD", default=True),
    # Days an API token stays valid after it is issued; then the client asks for a new one.
    "API_TOKEN_DAYS": int(os.environ.get("API_TOKEN_DAYS", "30")),
    # Working days a talk request (约谈申请) may wait for a time before it is flagged overdue.
    "TALK_REQUEST_WAIT_DAYS": int(os.environ.get("TALK_REQUEST_WAIT_DAYS", "3")),
    # Months a hardship pair (结对帮扶) may go without a care visit before it is flagged.
    "CARE_PAIR_VISIT_MONTHS": int(os.environ.get("CARE_PAIR_VISIT_MONTHS", "3")),
    # Days back the public form looks for voices of the same company like the one being typed.
    "SIMILAR_PUBLIC_DAYS": int(os.environ.get("SIMILAR_PUBLIC_DAYS", "90")),
    # A survey's results show a unit on its own only from this many responses (else rolled up).
    "SURVEY_MIN_GROUP": int(os.environ.get("SURVEY_MIN_GROUP", "5")),
    # Public survey responses per client per hour, held only in the cache (a canteen's Wi-Fi
    # puts many phones behind one address).
    "SURVEY_RATE_PER_HOUR": int(os.environ.get("SURVEY_RATE_PER_HOUR", "60")),
}
SITE_TITLE = _("心声")
