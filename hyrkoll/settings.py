"""Django settings for Hyrkoll.

Everything that differs between a demo and production comes from environment variables, read
through the typed helpers in ``hyrkoll.lib.env``. Defaults are safe for production (DEBUG off,
secure cookies); the demo (``make demo``) turns DEBUG on explicitly.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("HYRKOLL_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = envbool("DEBUG", False)
TESTING = envbool("HYRKOLL_TESTING", False)

SECRET_KEY = envsecret("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # A throwaway key for a local demo or the test run; never used with DEBUG off.
        SECRET_KEY = "insecure-local-demo-key-" + "x" * 40
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set (or SECRET_KEY_FILE) when DEBUG is off.")

# Keyed hashes of personal identity numbers (karens matching) use their own secret.
PERSONAL_NUMBER_HASH_KEY = envsecret("PERSONAL_NUMBER_HASH_KEY", SECRET_KEY)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

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
    "axes",
    "mozilla_django_oidc",
    # Hyrkoll's domain apps
    "hyrkoll.core",
    "hyrkoll.audit",
    "hyrkoll.organisation",
    "hyrkoll.agreement",
    "hyrkoll.accounts",
    "hyrkoll.consultants",
    "hyrkoll.followup",
    "hyrkoll.forecasting",
    "hyrkoll.pool",
    "hyrkoll.rules",
    "hyrkoll.ordering",
    "hyrkoll.assignments",
    "hyrkoll.invoicing",
    "hyrkoll.governance",
    "hyrkoll.compliance",
    "hyrkoll.spending",
    "hyrkoll.feed",
    "hyrkoll.outbox",
    "hyrkoll.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hyrkoll.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hyrkoll.core.middleware.SecurityHeadersMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hyrkoll.urls"
WSGI_APPLICATION = "hyrkoll.wsgi.application"

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
                "hyrkoll.core.context_processors.navigation",
            ],
        },
    },
]

# Django's renderer, with <select> written in Python instead of two template includes per option.
FORM_RENDERER = "hyrkoll.core.form_renderer.FormRenderer"

# --- Database: SQLite by default (demo, pilot), PostgreSQL by DATABASE_URL -------------------
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    server_options = []
    if "postgresql" in DATABASES["default"]["ENGINE"] and not envbool("DB_JIT", False):
        # No JIT compiling for the app's queries: at national scale a dashboard's aggregates cost more
        # than jit_above_cost, so each first computation compiled code (the plans bench-scale logged
        # under load), which pays off only for long analytical queries. ``DB_JIT=1`` keeps the
        # server's setting.
        server_options.append("-c jit=off")
    if "postgresql" in DATABASES["default"]["ENGINE"] and envstr("DB_PARALLEL_WORKERS", "0") != "server":
        # No parallel workers for the app's queries by default: with many users on few cores, a
        # count that starts two more processes costs more CPU than it saves time (bench-scale, 20
        # users on 2 cores: p50 55 → 45 ms, p95 190 → 160 ms). ``DB_PARALLEL_WORKERS=N`` allows N per
        # query, ``server`` keeps the server's setting.
        server_options.append(f"-c max_parallel_workers_per_gather={envint('DB_PARALLEL_WORKERS', 0)}")
    if server_options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", " ".join(server_options))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "hyrkoll.sqlite3")),
            "OPTIONS": {
                # Writers queue instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication ----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hyrkoll.accounts.backends.UserModelBackend",  # ModelBackend, the user with region and supplier
    "hyrkoll.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock an account+address after repeated failures (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Optional OIDC login (a region's IdP, e.g. SITHS eID). Users are matched by e-mail and must
# already exist: roles are granted in Hyrkoll, never by the IdP.
OIDC_ENABLED = bool(envstr("OIDC_RP_CLIENT_ID", ""))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "hyrkoll.accounts.oidc.HyrkollOIDCBackend")
    OIDC_RP_CLIENT_ID = envstr("OIDC_RP_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = envsecret("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = envstr("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = envstr("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = envstr("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = envstr("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = envstr("OIDC_RP_SCOPES", "openid email profile")
    OIDC_CREATE_USER = False
    for _name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set when OIDC_RP_CLIENT_ID is set.")

# --- Sessions, cookies, security headers -------------------------------------------------------
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_DEFAULT = not (DEBUG or TESTING)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", SECURE_DEFAULT)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SECURE_DEFAULT)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE_DEFAULT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation: Swedish first, English available ------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
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
# In a demo and in tests, static files come from the apps (no collectstatic step).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Cache: one for every worker process -------------------------------------------------------
# The rendered charts, the forecasts and the API's throttle counts live here. Under gunicorn every
# worker must see the same entries (or each computes the dashboards' charts and forecasts cold, and
# each counts a token's requests alone), so outside the tests the cache is a directory of files
# shared by the processes of one machine (``CACHE_DIR``, default var/cache). Tests keep it in memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": envstr("CACHE_DIR", str(VAR_DIR / "cache")),
            "TIMEOUT": 24 * 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 20000)},
        }
    )
}

# A region's preliminary figures (followup.region_figures), dropped when its time or invoices change.
FOLLOWUP_FIGURES_CACHE_SECONDS = envint("FOLLOWUP_FIGURES_CACHE_SECONDS", 0 if TESTING else 60 * 60)

# --- E-mail: console in the demo, SMTP by environment in production ----------------------------
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "hyrkoll@localhost")
# Every e-mail goes through the outbox (hyrkoll.outbox.services), sent by `hyrkoll run_jobs --loop`;
# in a demo and in tests the request that queued it also sends it right after its commit.
OUTBOX_SEND_INLINE = envbool("OUTBOX_SEND_INLINE", DEBUG or TESTING)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 600)

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "hyrkoll.api.pagination.ListPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hyrkoll API",
    "DESCRIPTION": (
        "API for suppliers' and regions' systems: the framework agreement register (sub-areas, "
        "admitted suppliers, price lists, zones), needs, call-offs, offers, assignments, time reports, "
        "invoices, costs and the follow-up. Authenticate with `Authorization: Token <key>`; every user "
        "sees exactly what the web app shows them."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InvoiceLineKindEnum": "hyrkoll.invoicing.models.LineKind",
        "CostImportKindEnum": "hyrkoll.followup.models.ImportKind",
        "CostImportStatusEnum": "hyrkoll.followup.models.ImportStatus",
        "OrgUnitKindEnum": "hyrkoll.organisation.models.OrgUnitKind",
    },
}

# Follow-up imports: a web upload is imported by the job worker (`hyrkoll run_jobs --loop`); in a
# demo (DEBUG) a thread in the web process runs it, so no separate worker is needed.
FOLLOWUP_IMPORT_INLINE_THREAD = envbool("FOLLOWUP_IMPORT_INLINE_THREAD", DEBUG)
FOLLOWUP_IMPORT_MAX_BYTES = envint("FOLLOWUP_IMPORT_MAX_BYTES", 512 * 1024 * 1024)

# Decision documents attached to declarations of intent (PDF only).
GOVERNANCE_MAX_ATTACHMENT_BYTES = envint("GOVERNANCE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every SVG style attribute it skips; only real errors matter here.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "matplotlib": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
