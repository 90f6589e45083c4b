"""Tillit settings: one file, configured from TILLIT_* environment variables.

With no environment set, everything works after checkout: SQLite in var/, debug on,
a development secret key. Production sets TILLIT_SECRET_KEY, TILLIT_DEBUG=0,
TILLIT_ALLOWED_HOSTS and DATABASE_URL.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from tillit.lib.env import env, envbool, envint, envlist, envsecret, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
# The key signs sessions, CSRF tokens and password-reset links. In production (DEBUG off)
# the process refuses to start without one of its own (tillit/tests/test_settings.py).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"
SECRET_KEY = envsecret("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG:
    secret_key_problem(SECRET_KEY, DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    "tillit.org",
    "tillit.clients",
    "tillit.audit",
    "tillit.feedback",
    "tillit.portal",
    "tillit.assessment",
    "tillit.outcomes",
    "tillit.bam",
    "tillit.network",
    "tillit.groups",
    "tillit.plans",
    "tillit.survey",
    "tillit.decisions",
    "tillit.followup",
    "tillit.evidence",
    "tillit.extracts",
    "tillit.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tillit.lib.middleware.ContentSecurityPolicy",  # django-csp's, the policy built once
    "tillit.lib.middleware.SecurityHeaders",
    "tillit.lib.middleware.PageMethodsOnly",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tillit.org.middleware.SessionTimeouts",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tillit.feedback.middleware.ClientModeLock",
    "tillit.portal.middleware.ClientBoundary",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "tillit.lib.middleware.WritesInOneTransaction",
]

ROOT_URLCONF = "tillit.urls"
WSGI_APPLICATION = "tillit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tillit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'tillit.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
# On PostgreSQL, parameters travel apart from the SQL (server-side binding), so psycopg
# prepares a statement once a connection has run it five times: the session read, the
# policy's reads and the audit insert are parsed and planned once per connection, not on
# every request. Django leaves this off by default for transaction-pooling proxies
# (PgBouncer), which Tillit does not need: its workers keep their connections
# (DB_CONN_MAX_AGE). A deployment behind one sets TILLIT_DB_PREPARED_STATEMENTS=0. Options
# from DATABASE_URL's query (sslmode) are kept.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "DB_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# SQLite as a multi-user database (docs/architecture.md, "When to move to PostgreSQL" in
# the README): in WAL mode readers never wait for the writer nor it for them; a writer
# waits up to 20 s for another to commit (timeout) instead of failing at once with
# "database is locked"; and a transaction takes the write lock when it begins (BEGIN
# IMMEDIATE), so two requests cannot both read and then fail to upgrade to writing, which
# SQLite answers with an error no timeout waits out. synchronous=NORMAL is safe in WAL
# mode (a crash may lose the last commits, never corrupt the file) and spares an fsync on
# every commit. In-memory test databases ignore the journal mode.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        timeout=envint("DB_SQLITE_TIMEOUT_SECONDS", 20),
        transaction_mode="IMMEDIATE",
    )
# Every request that may write is one transaction, its audit row with it; a read commits
# its audit row as it writes it (tillit.lib.middleware, docs/architecture.md).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
# Django's model backend, reading a session's user and their roles in one query.
# Axes first: it refuses a locked-out try before any password is checked (tillit/org/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tillit.org.backends.UserWithRoles",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# A session ends SESSION_AGE_SECONDS after login however busy, and after
# SESSION_IDLE_SECONDS without a request (tillit.org.middleware.SessionTimeouts).
SESSION_COOKIE_AGE = envint("SESSION_AGE_SECONDS", 8 * 3600, minimum=60)
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Sessions in the database, read with their user and roles in one query (tillit/org/sessions.py).
SESSION_ENGINE = "tillit.org.sessions"

LANGUAGE_CODE = env("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Swedish")), ("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tillit" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Stockholm")

STATIC_URL = "static/"
# Where collectstatic puts the files a deployment's web server (or whitenoise) serves.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "tillit" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Django's per-process memory cache. Tillit caches no page or fragment (docs/architecture.md,
# "Pages and speed"); what a library keeps here is its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 5000)},
    }
}

# How long an emergency access lasts.
EMERGENCY_ACCESS_HOURS = envint("EMERGENCY_ACCESS_HOURS", 4)

# Pseudonymised extracts for evaluators (tillit/extracts): where a produced zip waits, and
# for how many hours at most; it is removed when downloaded (`manage.py extract --purge`
# removes what is left, hourly like audit_seal).
EXTRACT_DIR = Path(env("EXTRACT_DIR", str(BASE_DIR / "var" / "extracts")))
EXTRACT_KEEP_HOURS = envint("EXTRACT_KEEP_HOURS", 24, minimum=1)

# The daily due digest (manage.py due_digest; docs/operations.md). Mails name no client.
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_TLS", not DEBUG)
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "tillit@localhost")

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page: scripts, styles, images and fonts from Tillit's own static files only, no
# inline script or style, no eval (htmx's allowEval is off, base.html), no frames, forms
# only to Tillit (django-csp; tillit/tests/test_headers.py walks every URL for it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# No camera, microphone, position, payment or other powerful features for any page
# (tillit.lib.middleware.SecurityHeaders, which also marks every page no-store).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(self), "
    "usb=()"
)

# Throttling and lockout of every password form (django-axes; tillit/org/lockout.py and
# docs/architecture.md, "Accounts", for the numbers).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 50, minimum=AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "tillit.org.lockout.Lockouts"
AXES_LOCKOUT_CALLABLE = "tillit.org.lockout.locked_out"
AXES_USERNAME_CALLABLE = "tillit.org.lockout.account_name"
AXES_CLIENT_IP_CALLABLE = "tillit.org.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout lasts the cool-off, no more
AXES_DISABLE_ACCESS_LOG = True  # who logged in is in the security log
AXES_ENABLE_ADMIN = False  # lifted from the staff admin ("Lift login lockouts")
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "code", "password_again"]
# A second factor (TOTP, with recovery codes) for staff at login (tillit/org/login.py): on
# in production unless the deployment puts staff behind its own SSO; staff who have set
# up an app are asked for it in any case. Clients never.
REQUIRE_MFA = envbool("REQUIRE_MFA", not DEBUG)
OTP_TOTP_ISSUER = "Tillit"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Reverse proxies in front that append to X-Forwarded-For (0: the address is REMOTE_ADDR).
PROXY_COUNT = envint("PROXY_COUNT", 0, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "tillit.access": {"handlers": ["console"], "level": env("ACCESS_LOG_LEVEL", "INFO")},
        # Logins, failures, lockouts and their lifting, sessions ended: never a password.
        "tillit.security": {"handlers": ["console"], "level": env("SECURITY_LOG_LEVEL", "INFO")},
        # A 5xx with its traceback: with DEBUG off, Django's own logging only mails it to
        # ADMINS, and Tillit has none, so it would be printed nowhere.
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
