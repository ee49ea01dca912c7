"""Settings for the KOR app. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kor.env import envbool, envint, envlist, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG")

# A fixed key is handy on a developer's machine and in tests, and dangerous anywhere else:
# without DEBUG the app refuses to start on it.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = envsecret("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY or (SECRET_KEY == DEV_SECRET_KEY and not DEBUG):
    raise ImproperlyConfigured(
        "Set SECRET_KEY (or SECRET_KEY_FILE) in the environment; the development key "
        "is only accepted with DEBUG=1."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kor.apps.KorConfig",
    "clients.apps.ClientsConfig",
    "sessions.apps.TherapySessionsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves the idle expiry at most once a minute instead of writing the session every request.
    "kor.security.session.IdleTimeoutMiddleware",
    "kor.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing answered to a logged-in user is stored by a browser or proxy (issue 12).
    "kor.security.nostore.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Hand-over mode (sessions): the client holding the tablet reaches only the form.
    "sessions.handover.HandoverMiddleware",
]

# Forms render through the project's template settings, so widget and field templates in
# templates/widgets/ (the rating form's line and radios) are found beside Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "kor.urls"
WSGI_APPLICATION = "kor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite on a bare machine; PostgreSQL in production and CI through DATABASE_URL.
# Persistent connections: a gunicorn worker keeps its connection for DB_CONN_MAX_AGE seconds
# instead of connecting for every request. The health check (one `SELECT 1` when a request first
# uses a reused connection) turns a connection the server dropped (restart, failover) into a
# reconnect instead of a failed request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Parameters travel apart from the statement, and a statement a connection has run a few
    # times is prepared once: the server no longer plans it anew on every request. Planning
    # was most of the database's time for the short, joined lookups of a page (the meeting
    # behind a save: 2.8 ms planning, 0.7 ms running). DB_PREPARE_THRESHOLD=0 turns it off
    # (e.g. behind a connection pooler in transaction mode).
    _prepare = envint("DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": _prepare} if _prepare else {}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the app runs as, when migrations run as another (the owner). After every
# migrate it gets ordinary rights on the app's tables and only SELECT/INSERT on the audit log
# (kor/dbroles.py). Empty: one role for both (development, SQLite).
DB_RUNTIME_ROLE = envsecret("DB_RUNTIME_ROLE") or ""

AUTH_USER_MODEL = "kor.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(envsecret("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# Django's database sessions, each read by one fixed statement (kor/security/rows.py).
SESSION_ENGINE = "kor.security.rows"
# Health data: a session ends after 30 idle minutes. The expiry moves on while the session is
# used, but IdleTimeoutMiddleware saves it at most once a minute: a request that changes nothing
# writes nothing (SESSION_SAVE_EVERY_REQUEST would UPDATE the session row on every request).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# Strict Content Security Policy: scripts and styles only from our own origin, no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy (docker-compose, the municipality's load balancer).
    if envbool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Security: access log, login throttling, two-factor login (issue 7) -------------------------
# Writes and their audit rows commit together: a view that fails leaves neither.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "axes"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "kor.security.middleware.RequireTwoFactorMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("kor.security.middleware.RequireTwoFactorMiddleware") + 1,
    "kor.security.middleware.AdminClinicalAuditMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # axes wants to be last
TEMPLATES[0]["OPTIONS"]["context_processors"].append("kor.security.context.security")
AUTHENTICATION_BACKENDS = [
    "kor.security.backends.ThrottledLoginBackend",  # refuses locked-out logins (django-axes)
    "kor.security.backends.PasswordBackend",  # ModelBackend, reading the user by one statement
]
# Lock the pair (username, address) after 5 failures for 15 minutes: stops guessing without
# letting anyone lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the audit log
AXES_CLIENT_IP_CALLABLE = "kor.audit.client_address"
# Never longer than axes' varchar(255) column (a 256-character name gave a 500).
AXES_USERNAME_CALLABLE = "kor.security.backends.axes_username"
# How many proxies of our own append to X-Forwarded-For (nginx, a load balancer): the client's
# address is the entry the outermost one added. 0: REMOTE_ADDR alone.
PROXY_HOPS = envint("PROXY_HOPS", 1 if envbool("BEHIND_PROXY") else 0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# An episode ended by mistake can be reopened for this many days after it was ended; after that a
# new episode starts (the history stays as it was).
EPISODE_REOPEN_DAYS = envint("EPISODE_REOPEN_DAYS", 14)

OTP_TOTP_ISSUER = envsecret("OTP_ISSUER") or "KOR"
# Leaders and organisation administrators must log in with a second factor; helpers may.
# Off by default only with DEBUG, so the demo (`make run`) opens without a phone.
TWO_FACTOR_REQUIRED_FOR_LEADERS = envbool("TWO_FACTOR_REQUIRED", "False" if DEBUG else "True")
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour
# ----------------------------------------------------------------------------------------------

# Outcome statistics: below this many clients an effect size is shown as "too few" (the number
# stays one click away), as a handful of clients says little (issue 13).
STATISTICS_MIN_CLIENTS = envint("STATISTICS_MIN_CLIENTS", 10)

# Background work (team reports): the immediate backend on a developer's machine and in tests,
# the database backend with its worker (`manage.py db_worker`) in production.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if envbool("TASKS_IN_WORKER")
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_500_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Password reset mail: SMTP in production; printed to the console while developing and testing.
if not (DEBUG or envbool("TESTING")):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": envsecret("EMAIL_HOST") or "localhost",
                "port": envint("EMAIL_PORT", 587),
                "username": envsecret("EMAIL_HOST_USER") or "",
                "password": envsecret("EMAIL_HOST_PASSWORD") or "",
                "use_tls": envbool("EMAIL_USE_TLS", "True"),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = envsecret("DEFAULT_FROM_EMAIL") or "kor@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envsecret("LOG_LEVEL") or "WARNING"},
}

# FHIR API (issue 15): the base of the identifier systems and code systems the app defines itself
# (a case code system per organisation: <base>/sid/<organisation>/case-code), and how many API
# requests one token may make a minute.
FHIR_SYSTEM_BASE = (envsecret("FHIR_SYSTEM_BASE") or "https://kor.example.org/fhir").rstrip("/")
API_RATE_PER_MINUTE = envint("API_RATE_PER_MINUTE", 120)
# --- Forms by link, when the client is not in the room (issue 14) ------------------------------
# A link is good for this many hours, and one reminder goes out after KOR_LINK_REMINDER_HOURS
# if it is not done by then (manage.py send_reminders; never more than one).
KOR_LINK_HOURS = envint("KOR_LINK_HOURS", 72)
KOR_LINK_REMINDER_HOURS = envint("KOR_LINK_REMINDER_HOURS", 24)
# The public link page is throttled per address and per link (Django's cache: set a shared
# cache such as the database cache when several processes serve the app).
KOR_LINK_RATE_PER_IP = envint("KOR_LINK_RATE_PER_IP", 60)  # requests per window and address
KOR_LINK_BAD_TOKENS_PER_IP = envint("KOR_LINK_BAD_TOKENS_PER_IP", 10)  # unknown links per window
KOR_LINK_RATE_PER_TOKEN = envint("KOR_LINK_RATE_PER_TOKEN", 40)  # requests per window and link
KOR_LINK_RATE_WINDOW = envint("KOR_LINK_RATE_WINDOW", 15 * 60)  # seconds
# SMS: a class path. The default prints the message (like Django's console e-mail backend);
# sessions.sms.FileBackend writes to KOR_SMS_FILE_PATH; a real gateway is a class of its own.
KOR_SMS_BACKEND = envsecret("KOR_SMS_BACKEND") or "sessions.sms.ConsoleBackend"
KOR_SMS_FILE_PATH = envsecret("KOR_SMS_FILE_PATH") or str(BASE_DIR / "var" / "sms")
# Where the links in messages sent without a request (reminders from the command) point.
KOR_SITE_URL = envsecret("KOR_SITE_URL") or "http://localhost:8000"
