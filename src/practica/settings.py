"""Practica settings: everything comes from the environment.

The embedded default (no environment at all) is SQLite under ``var/``, email
to files under ``var/mail``, local-memory cache and a secret key generated
once into ``var/secret_key``. Production sets ``PRACTICA_ENV=production`` and
must then give ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from practica.core import email_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("PRACTICA_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name: str, default: int, meaning: str) -> int:
    """A whole number of 0 or more; refuses anything else, saying what
    the variable is for."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ImproperlyConfigured(
            f"{name}={raw!r}: give a whole number of 0 or more ({meaning})."
        )
    return int(raw)


def env_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


PRODUCTION = os.environ.get("PRACTICA_ENV", "embedded") == "production"
DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when PRACTICA_ENV=production: set it to "
            "a long random string (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is required when PRACTICA_ENV=production: a comma "
        "separated list such as 'practica.example.org'."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "practica.web",  # first, so its templates override allauth's
    "allauth",
    "allauth.account",
    "django_htmx",
    "ninja",  # serves the API docs' assets locally (no CDN)
    "django_tasks_db",
    "practica.core",
    "practica.accounts",
    "practica.communities",
    "practica.conversations",
    "practica.repertoire",
    "practica.events",
    "practica.mentoring",
    "practica.notifications",
    "practica.analytics",
    "practica.transfer",
    "practica.search",
    "practica.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "practica.accounts.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "practica.urls"
WSGI_APPLICATION = "practica.wsgi.application"
ASGI_APPLICATION = "practica.asgi.application"

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
                "practica.web.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "DATABASE_URL", f"sqlite:///{DATA_DIR / 'practica.sqlite3'}"
        ),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE transactions take
    # the write lock at BEGIN so concurrent writers queue on the busy
    # timeout instead of failing with "database is locked" mid-transaction.
    # A connection per request unless CONN_MAX_AGE says otherwise (the
    # benchmark and a gunicorn deployment keep them: opening one runs the
    # PRAGMAs below every time).
    DATABASES["default"]["CONN_MAX_AGE"] = int(
        os.environ.get("CONN_MAX_AGE", "0")
    )
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory for tests
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "practica",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "practica",
            # Cached list rows and fragments outgrow the default 300.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Email ----------------------------------------------------------------
# EMAIL_URL (see core/email_url.py): files under var/mail when embedded, a
# local mail relay in production unless told otherwise.
MAILERS = {
    "default": email_url.parse(
        os.environ.get(
            "EMAIL_URL", "smtp://localhost:25" if PRODUCTION else "file:"
        ),
        file_path=DATA_DIR / "mail",
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Practica <practica@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------
# Django's tasks framework, stored in the database (django-tasks-db) and run
# by ``practica worker`` (core/worker.py), so no broker is needed.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {
        "NAME": "django.contrib.auth.password_validation."
        "CommonPasswordValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation."
        "NumericPasswordValidator"
    },
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for a display name and a time zone.
ACCOUNT_SIGNUP_FORM_CLASS = "practica.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "optional"
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "web:home"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security -------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("BEHIND_TLS_PROXY", PRODUCTION)
    else None
)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Practica -------------------------------------------------------------
PRACTICA_INVITATION_DAYS = int(
    os.environ.get("PRACTICA_INVITATION_DAYS", "14")
)
PRACTICA_PAGE_SIZE = 30
# Search: the embedded tantivy index lives under the data directory. In
# the embedded mode each search first indexes what is new; in production
# `practica indexer` does that in its own process.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "tantivy")
SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", "")
SEARCH_INDEX_ON_READ = env_bool("SEARCH_INDEX_ON_READ", not PRODUCTION)
# Threads per process that run one search's independent parts at once
# (search/engine.py); 0 runs them one after the other.
SEARCH_THREADS = env_count(
    "SEARCH_THREADS", 2, "threads per process for one search's parts; 0: none"
)
PRACTICA_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("PRACTICA_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LOG_LEVEL", "WARNING"),
    },
}
