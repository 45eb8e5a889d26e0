"""Settings for Interview Advisor, all read from the environment.

See `.env.example` and the README's table for every variable. With ``DJANGO_DEBUG`` unset
the project runs in production mode and refuses to start without a secret key and allowed
hosts.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_flag(name: str, default: bool) -> bool:
    """Return a ``0``/``1`` variable as a bool, or ``default`` when unset; refuse anything else."""
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def env_int(name: str, default: int) -> int:
    """Return a whole-number variable, or ``default`` when unset; refuse anything else."""
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {value!r}")
    return number


def env_required(name: str, dev_default: str) -> str:
    """Return the variable, or ``dev_default`` in debug mode; refuse to start without it."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is not 1")


DEBUG = env_flag("DJANGO_DEBUG", default=False)
SECRET_KEY = env_required("DJANGO_SECRET_KEY", "insecure-development-key-not-for-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is not 1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, with the login form of interview_advisor/admin.py.
    "interview_advisor.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    # Before advice, whose admin unregisters their device admins (a superuser resets a
    # lost device from the user admin or with `reset_second_factor` instead).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "advice",
    "axes",
]

MIDDLEWARE = [
    # First, so a load balancer's poll is answered whatever its Host header or scheme, and
    # costs one query and nothing else.
    "interview_advisor.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves its own compressed files, and before everything else that
    # writes the body. Django's gzip pads each response with random bytes against BREACH, and
    # CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the CSRF check, which reads the body, and after the middleware that give the 400
    # page its headers: a body too large for any form here is refused unread.
    "interview_advisor.body_limit.BodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives request.user is_verified(): true once this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interview_advisor.urls"
WSGI_APPLICATION = "interview_advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "advice.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up on an unreachable server quickly, so people get the 503 page rather than a
    # request that hangs until the worker is killed.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer, and IMMEDIATE transactions take the write
    # lock up front so writers queue on the busy timeout instead of failing with "database is
    # locked" halfway through. Connections are kept like PostgreSQL's (one per worker thread):
    # opening one and setting these pragmas is about a third of a question page's cost.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username and address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin brute force: 5 failed logins for one username from one address lock that pair out for
# AXES_COOLOFF_MINUTES; a good password does not get through while it lasts.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Not reset by a good password: wrong one-time codes after it count towards the same
# lockout (interview_advisor/second_factor.py), and logging in again must not wipe them.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Django-axes's database handler, except that an attempt's row keeps only the latest query
# string and form fields instead of appending every attempt's.
AXES_HANDLER = "interview_advisor.login_attempts.BoundedAttemptHandler"
# A refused one-time code may still be a good backup code (refused during django-otp's delay):
# the attempt's record masks it as it masks the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The name authenticator apps show beside the admin's codes.
OTP_TOTP_ISSUER = "Interview Advisor"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
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
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions hold the questionnaire while it is being filled in: kept in the database (so any
# process can serve any step), gone when the browser closes or after an idle hour. Django's
# database backend, except that a cookie Django could not have made counts as no session.
SESSION_ENGINE = "interview_advisor.session_store"
SESSION_COOKIE_AGE = 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Over HTTPS, the __Host- prefix makes browsers refuse these cookies from a sibling subdomain
# (they must be Secure, for the path /, with no Domain); a browser refuses such a cookie over
# the plain HTTP of development.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"

# -- HTTPS and security headers --------------------------------------------------------------
# Production is HTTPS only. DJANGO_SECURE_SSL_REDIRECT=0 suits a proxy that redirects by
# itself, and the test suite, whose client speaks plain HTTP.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env_flag("DJANGO_BEHIND_TLS_PROXY", default=False):
    # Only safe when the proxy overwrites this header and nobody can reach the app directly.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Lockouts count the address the proxy appends to X-Forwarded-For, not the proxy's own
    # (shared by everyone) nor an address a client wrote into the header itself.
    AXES_CLIENT_IP_CALLABLE = "interview_advisor.proxy.client_address"
# HSTS covers this host name and its subdomains; give the app a host name of its own.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# A default for every page; the result page sends its own, stricter no-referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG

# No inline script or style anywhere, the admin included, so nothing here allows it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# An answer is a few bytes and HR's review notes a few paragraphs; Django's default of 2.5 MB
# invites anyone to make the app read large bodies. A larger one, of any kind, is a 400 page
# (interview_advisor/body_limit.py), and so is a form with a file in it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
FILE_UPLOAD_HANDLERS = ["interview_advisor.body_limit.RefuseUploads"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Who runs the service, and how to reach them: named wherever the pages say who can read the
# saved answers. Production refuses to start without them, as an anonymous operator is no
# promise. The contact is an email address or an https URL.
ADVICE_OPERATOR = env_required("ADVICE_OPERATOR", "Example Careers")
ADVICE_CONTACT = env_required("ADVICE_CONTACT", "privacy@example.org")
if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+|https://\S+", ADVICE_CONTACT):
    raise ImproperlyConfigured(
        f"ADVICE_CONTACT must be an email address or an https:// URL, not {ADVICE_CONTACT!r}"
    )
ADVICE_RETENTION_DAYS = env_int("ADVICE_RETENTION_DAYS", 180)

# Django's request logger names the path ("Not Found: /result/<token>/"), and a result path
# is its owner's private key: the filter blanks tokens out of every record the handler writes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "interview_advisor.logging.RedactResultTokens"},
        "client_errors_in_one_line": {"()": "interview_advisor.logging.ClientErrorsInOneLine"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens", "client_errors_in_one_line"],
        },
    },
    # On the loggers that name paths too, so the record is clean before any handler sees it.
    "loggers": {
        **{
            name: {"filters": ["redact_tokens"]}
            for name in ("django.request", "django.security.csrf", "django.server")
        },
        # Lockouts are warnings; each failed login and axes's start-up line are not news.
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
