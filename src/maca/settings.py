"""Settings for maca, read from environment variables (documented in the README).

Defaults are the production-safe ones: debug off, secure cookies, SMTP e-mail, multi-factor authentication
required. The demo (`make run`) sets what it needs explicitly.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets generic Django classes (QuerySet[Agency]) be subscripted at run time, as the type annotations do.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting: 1, true, yes, on (any case) mean yes; 0, false, no, off mean no."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1, true, yes, on, 0, false, no, off (it is {value!r}).")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated setting."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("MACA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """MACA_SECRET_KEY, or a random key generated once and kept in the var directory (readable by its owner only)."""
    if key := os.environ.get("MACA_SECRET_KEY", "").strip():
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MACA_DEBUG", False)
# Demo mode: a banner on every page, e-mail to the console, and the demo accounts (only those) may skip
# multi-factor authentication. Set by `make run`; never in production.
MACA_DEMO = env_bool("MACA_DEMO", False)
# Served over HTTPS (behind a proxy that terminates TLS): cookies are secure and HSTS is sent.
MACA_HTTPS = env_bool("MACA_HTTPS", True)

ALLOWED_HOSTS = env_list("MACA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("MACA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # maca's apps before allauth's, so that maca's templates restyle allauth's pages.
    "maca.accounts",
    "maca.common",
    "maca.partnerships",
    "maca.audits",
    "maca.cases",
    "maca.returns",
    "maca.selfassessment",
    "maca.analysis",
    "maca.findings",
    "maca.outputs",
    "maca.retention",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
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
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maca.accounts.middleware.RequireMultiFactorMiddleware",
    # AxesMiddleware last: it turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maca.urls"
WSGI_APPLICATION = "maca.wsgi.application"
CSRF_FAILURE_VIEW = "maca.common.views.csrf_failure"

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
                "csp.context_processors.nonce",
                "maca.common.context_processors.service",
                "maca.partnerships.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "maca.common.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'maca.sqlite3'}"),
        conn_max_age=int(os.environ.get("MACA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the SQLite file: write-ahead logging lets pages read while the worker
    # writes, and transactions that take the write lock when they begin wait for each other (up to `timeout` seconds)
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out person cannot log in even with the right password.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: log in with e-mail and password; nobody signs themselves up (coordinators add people).
ACCOUNT_ADAPTER = "maca.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "login": "maca.accounts.forms.LoginForm",
    "reset_password": "maca.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "maca.accounts.forms.ResetPasswordKeyForm",
    "change_password": "maca.accounts.forms.ChangePasswordForm",
    "set_password": "maca.accounts.forms.SetPasswordForm",
    "reauthenticate": "maca.accounts.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "maca.accounts.forms.AuthenticateForm",
    "reauthenticate": "maca.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "maca.accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "maca"
# allauth guards against someone signing up with another person's address and then locking them out with a second
# factor. Nobody signs up here: coordinators add people by their work address, and everyone must enrol at once.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or MACA_DEMO

# django-axes: five wrong passwords for one account from one address lock it for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# allauth's own limit on failed log-ins per e-mail address would answer before axes (from every address, with a form
# error instead of the lock-out page); keep only its per-address limit and leave accounts to axes. A password alone
# never gets anyone in: every account has a second factor.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

SESSION_COOKIE_AGE = int(os.environ.get("MACA_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = MACA_HTTPS
CSRF_COOKIE_SECURE = MACA_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if MACA_HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("MACA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from our own origin; the one inline script GOV.UK Frontend needs carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# GOV.UK Frontend, copied from node_modules by `make assets`. Its compiled CSS asks for fonts and images under /assets/,
# which whitenoise serves from the root folder.
FRONTEND_DIR = PROJECT_DIR / "build" / "frontend"
STATICFILES_DIRS = [FRONTEND_DIR / "static"]
WHITENOISE_ROOT = FRONTEND_DIR / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages may be rendered before `collectstatic` has run (tests, a fresh checkout): fall back to unhashed names.
WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = os.environ.get(
    "MACA_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if MACA_DEMO else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("MACA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MACA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MACA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MACA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MACA_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10  # seconds: a mail server that hangs must not hang the page
DEFAULT_FROM_EMAIL = os.environ.get("MACA_EMAIL_FROM", "maca <maca@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach maca, for the links in e-mail sent without a request to take it from (reminders).
MACA_BASE_URL = os.environ.get(
    "MACA_BASE_URL", f"{'https' if MACA_HTTPS else 'http'}://{ALLOWED_HOSTS[0] if ALLOWED_HOSTS else 'localhost'}"
).rstrip("/")

# The accessibility statement (/accessibility/) names who runs this copy of maca, where to write about its
# accessibility and how soon they reply. Each partnership sets its own: the defaults are placeholders, plainly not real.
MACA_OPERATOR_NAME = os.environ.get("MACA_OPERATOR_NAME", "").strip() or "Example Safeguarding Children Partnership"
MACA_ACCESSIBILITY_CONTACT = (
    os.environ.get("MACA_ACCESSIBILITY_CONTACT", "").strip() or "accessibility@maca.example.invalid"
)
MACA_ACCESSIBILITY_REPLY_DAYS = int(os.environ.get("MACA_ACCESSIBILITY_REPLY_DAYS", "5"))

# Background tasks (reminders) run on Django's tasks framework (the django-tasks backport until Django 6). The
# database backend keeps the queue in maca's database, and `maca db_worker` runs what is queued. MACA_TASKS_BACKEND
# may name another backend, e.g. django_tasks.backends.immediate.ImmediateBackend, which runs each task at once in
# the process that enqueues it (no worker, and no daily reminder run: see `maca reminders`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MACA_TASKS_BACKEND", "").strip() or "django_tasks_db.DatabaseBackend",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MACA_LOG_LEVEL", "WARNING")},
    # Refusals (403, 404) are expected answers, not faults; the access log records what matters.
    "loggers": {"django.request": {"level": "ERROR"}},
}

if not DEBUG and not MACA_DEMO and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("MACA_SECRET_KEY must not be an insecure development key in production.")
