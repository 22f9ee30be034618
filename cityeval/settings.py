"""The one settings module. Every deployment difference comes from environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from cityeval.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    env_url,
    s3_storage_options,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("CITYEVAL_DEBUG", default=False)

# No secret has a production default: outside debug the key must come from the environment.
# Commands that sign nothing (validate or score a file, load regions or demonstration data; the
# list is `cityeval.cli.SECRETLESS_COMMANDS`) get a random key of their own process, so they work
# as the README writes them; serving requests always needs the real key.
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-for-debug-mode")
elif "SECRET_KEY" not in os.environ and env_bool("CITYEVAL_SECRETLESS_COMMAND", default=False):
    SECRET_KEY = secrets.token_urlsafe(48)
else:
    SECRET_KEY = env_str(
        "SECRET_KEY",
        hint="a random string of at least 32 characters, e.g. from "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`; "
        "or CITYEVAL_DEBUG=1 on a development machine",
    )
    if len(SECRET_KEY) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# One folder holds everything the application writes: the SQLite file and uploaded evidence.
DATA_DIR = env_path("CITYEVAL_DATA_DIR", BASE_DIR / "var")
# SQLite cannot create the folder of its file; make the data folder before the first connection.
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Evidence files; on several application servers a shared volume mounted on every one of them.
MEDIA_ROOT = env_path("CITYEVAL_MEDIA_DIR", DATA_DIR / "media")
MEDIA_URL = "/media-not-served/"  # evidence is served only through permission-checked views
# Evidence on S3-compatible object storage instead, when STORAGE_S3_BUCKET is set (env.py);
# MEDIA_ROOT then holds only files being uploaded. Read through `evidence.storage`.
EVIDENCE_S3 = s3_storage_options()
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATIC_URL = "/static/"
# Files are served from the app folders and npm packages directly; `collectstatic` is optional.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Front-end libraries come from npm (package.json); collectstatic picks the files we use.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "cityeval" / "static"]
for _prefix, _folder in [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/vega", NODE_MODULES / "vega" / "build"),
    ("vendor/vega-lite", NODE_MODULES / "vega-lite" / "build"),
    ("vendor/vega-embed", NODE_MODULES / "vega-embed" / "build"),
]:
    if _folder.is_dir():
        STATICFILES_DIRS.append((_prefix, _folder))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "cityeval.core",
    "cityeval.accounts",
    "cityeval.frameworks",
    "cityeval.regions",
    "cityeval.evaluations",
    "cityeval.results",
    "cityeval.audit",
    "cityeval.notifications",
    "cityeval.masterplans",
    "cityeval.evidence",
    "cityeval.reviews",
    "cityeval.discussions",
    "cityeval.reports",
    "cityeval.mentoring",
    "cityeval.scorecards",
    "cityeval.exports",
    "cityeval.dashboard",
    "cityeval.api",
    "cityeval.workbooks",
    "cityeval.help",
    "cityeval.library",
    "cityeval.operations",
    "ninja",  # its swagger-ui static files, served locally (no CDN)
    "django_tasks",
    "django_tasks_db",
    "cityeval.jobs",
]

MIDDLEWARE = [
    # First: load balancers probe /healthz by IP over plain HTTP, before host and HTTPS checks.
    "cityeval.core.health.HealthCheckMiddleware",
    # Outside everything else so the request id and the duration cover the whole request.
    "cityeval.core.requestlog.RequestLogMiddleware",
    # Before everything that writes the body, so it compresses the final page (core/compression.py).
    "cityeval.core.compression.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's stored language preference counts.
    "cityeval.core.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an expired session is ended here with a message for the login page.
    "cityeval.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it is the first to see a view's exception: database down → 503 page, not 500.
    "cityeval.core.database_errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cityeval.urls"
WSGI_APPLICATION = "cityeval.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cityeval" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cityeval.accounts.context_processors.navigation",
                "cityeval.notifications.context_processors.unread",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'cityeval.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades mid-write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Connections are kept between requests (per worker thread): opening one costs more than most
# requests' queries (on SQLite ~10 ms: the file, the PRAGMAs, the schema; on PostgreSQL a login).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # A database host that stops answering must fail the request in seconds (a 503 page), not
    # hold a worker until the server's own timeout kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
# The cache holds what must agree across application servers: the rendered public pages (keyed on
# the publication state), the API rate-limit counters. With several servers set REDIS_URL (e.g.
# redis://cache.internal:6379/0) so they share one; without it (one machine) each process keeps
# its own local-memory cache, which is correct there because the keys name the published state.
REDIS_URL = env_url("REDIS_URL", ["redis", "rediss", "unix"])
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cityeval"),
        # A cache that stops answering must not hang a request: fail in a second instead.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# The public pages' publication marker is read from the cache only when every server and worker
# process shares it (Redis); a local-memory cache is per process (results/publication.py).
PUBLICATION_MARKER_IN_CACHE = bool(REDIS_URL)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads these cookies: forms carry the CSRF token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Sign-in lockout and session expiry; the reasons are in accounts/lockout.py and middleware.py.
AUTHENTICATION_BACKENDS = ["cityeval.accounts.backends.LockoutBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 3600)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cityeval" / "locale"]
# One date format per language (cityeval/formats/<lang>/formats.py); numbers keep Django's.
FORMAT_MODULE_PATH = ["cityeval.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# When set, backups carry an HMAC of their manifest and restore refuses archives without a
# matching one (docs/operations.md). Keep it apart from the archives.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY", "")
# The operator's token for the detailed /healthz (core/health.py); empty: only the cheap check.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")
if HEALTHZ_TOKEN and len(HEALTHZ_TOKEN) < 32:
    raise ConfigError("HEALTHZ_TOKEN must be at least 32 characters long")
# Workbook uploads (offline self-assessment, masterplan programs, `score` input), checked from the
# zip directory and a streaming pass before openpyxl reads anything (core/officefiles.py). The
# largest real workbooks (a 2,000-program masterplan template, the SPBE/G100SC self-assessment
# with long narratives) unpack to a few MB with at most ~2,300 rows and ~30 columns: the limits
# leave a wide margin. bench/bench_workbook_limits.py measures the worst accepted file.
WORKBOOK_MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # all parts together (largest real: 3.6 MB)
WORKBOOK_MAX_PART_BYTES = 8 * 1024 * 1024  # one sheet or the shared strings
WORKBOOK_MAX_PARTS = 200  # Excel writes ~15; one per sheet, image or comment block
WORKBOOK_MAX_RATIO = 100  # unpacked / packed of a part over 1 MB (real ones: 16–17, bench)
# Rows × columns is what costs time: openpyxl reads ~30,000 cells a second on a busy server.
WORKBOOK_MAX_ROWS = 3_000  # per sheet, counting the declared <dimension>
WORKBOOK_MAX_COLUMNS = 40  # a 10-year masterplan template has 30
WORKBOOK_MAX_CELLS = (
    150_000  # rows × columns summed over the sheets (2,000-program template: ~60,000)
)
# REST API rate limit per token: requests per period (seconds); 0 turns it off (api/throttle.py).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120)
API_RATE_PERIOD = env_int("API_RATE_PERIOD", 60)
# The same budget counted over all of one person's tokens, so more tokens do not mean more rate.
API_RATE_LIMIT_PER_PERSON = env_int("API_RATE_LIMIT_PER_PERSON", API_RATE_LIMIT)
# Active (neither revoked nor expired) tokens one person may hold at once.
API_MAX_TOKENS_PER_PERSON = env_int("API_MAX_TOKENS_PER_PERSON", 10)

# Framework files shipped with cityeval and imported by default.
FRAMEWORKS_DIR = BASE_DIR / "frameworks"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where the file e-mail backend (a mail drop for tests and trials) writes one file per message.
EMAIL_FILE_PATH = str(env_path("EMAIL_FILE_PATH", DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cityeval@localhost")
# The address people reach cityeval at: e-mails link to pages under it. No production default
# (a wrong host in every link would go unnoticed); a development machine uses the runserver's.
# The job queue (docs/decisions.md): django-tasks with django-tasks-db's database backend and
# `manage.py jobs_worker` processes ("database", the default; `dev.py start` starts one), or
# "immediate": each job runs in the process that queued it, after its transaction commits.
JOBS_BACKEND = env_choice("CITYEVAL_JOBS", ["database", "immediate"], "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if JOBS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}
# A job's lease: a worker that has not finished it by then is taken for dead, the job runs again.
CITYEVAL_JOB_LEASE_SECONDS = env_int("CITYEVAL_JOB_LEASE_SECONDS", 600)
CITYEVAL_JOB_MAX_ATTEMPTS = env_int("CITYEVAL_JOB_MAX_ATTEMPTS", 5)
CITYEVAL_JOB_HANDLERS = {
    "notification_mail": "cityeval.notifications.services.send_notification_mail",
    "remind_deadlines": "cityeval.evaluations.reminders.remind_job",
    "publication_pdfs": "cityeval.scorecards.stored.queue_publication_pdfs",
    "scorecard_pdf": "cityeval.scorecards.stored.render_stored_pdf",
    "invitation_mail": "cityeval.accounts.invitations.send_invitation_mail",
    "password_reset_mail": "cityeval.accounts.invitations.send_password_reset_mail",
    "masterplan_import": "cityeval.masterplans.queued.run_import",
    "workbook_preview": "cityeval.workbooks.queued.run_preview",
    "publication_open_data": "cityeval.exports.stored.queue_publication_files",
    "open_data_files": "cityeval.exports.stored.render_stored_files",
    "sweep_kept_uploads": "cityeval.jobs.kept.sweep_job",
}
# Kinds queued once a day by every running worker (the key names the day: it runs once).
CITYEVAL_JOB_SCHEDULE = ["remind_deadlines", "sweep_kept_uploads"]
# The scheduled reminders remind of deadlines at most this many days away.
CITYEVAL_REMINDER_DAYS = env_int("CITYEVAL_REMINDER_DAYS", 7)
# Render the published scorecards' PDFs when a result is published (tests turn it off: a PDF
# costs over a second and most tests publish).
CITYEVAL_PDFS_AT_PUBLISH = env_bool("CITYEVAL_PDFS_AT_PUBLISH", True)
# Render each published cycle's open-data files (Excel, CSV, JSON) when its published state
# changes, served as files (`exports/stored.py`); off, they are rendered on the first request.
CITYEVAL_OPEN_DATA_AT_PUBLISH = env_bool("CITYEVAL_OPEN_DATA_AT_PUBLISH", True)

SITE_URL = env_str("SITE_URL", "http://localhost:8000" if DEBUG else "")
# Days a region gets to answer a clarification request (the assessor may set another date).
CLARIFICATION_ANSWER_DAYS = env_int("CLARIFICATION_ANSWER_DAYS", 14)

# HTTPS and security headers (docs/operations.md). Behind a load balancer that ends TLS, set
# TRUST_X_FORWARDED_PROTO=1 only if the balancer overwrites that header on every request.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading binds the whole domain (often a ministry's) to HTTPS in every browser for months;
# the domain's owner decides, so it is off unless asked for and its deploy warning is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script and style sheet is a same-origin static file: no inline <script>, no on…=""
# handlers, no <style> elements (static/js/behaviours.js gives forms their confirm and
# auto-submit). Style attributes stay allowed: server-computed widths of progress bars and
# chart libraries use them. Vega renders with its expression interpreter, so no eval either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# One line per request (request id, user, path, status, duration) and JSON lines in production.
LOG_FORMAT = env_choice("CITYEVAL_LOG_FORMAT", ["plain", "json"], "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cityeval.core.requestlog.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint logs every rendering step at INFO; a batch of PDFs would drown the log.
        "weasyprint.progress": {"level": "WARNING"},
        # Our request line replaces Django's own "Not Found: /x" warnings.
        "django.request": {"level": "ERROR"},
    },
}
