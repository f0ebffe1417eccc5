"""FundPortal settings, read from environment variables with safe defaults.

Unset variables give a development set-up that needs nothing installed: a SQLite
file, Celery tasks run eagerly in-process and outgoing email lands in a local
mailbox readable in the browser. Set FUNDPORTAL_ENV=production for a deployment;
it then insists on a secret key and allowed hosts and turns on HTTPS hardening.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("FUNDPORTAL_ENV", "development") == "production"
DEBUG = not PRODUCTION and env("DJANGO_DEBUG", "true").lower() == "true"

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "fundportal",
    "calls",
    "applications",
    "review",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",  # a second factor: authenticator apps, recovery codes, passkeys
    "allauth.usersessions",  # a person's active sessions, the others ended from their profile
    "allauth.socialaccount",  # sign-in with a funder's e-ID broker (OpenID Connect)
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fundportal.audit.ClientAddressMiddleware",  # the real client address behind the proxy, for the audit trail
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "fundportal.middleware.QueryStringMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fundportal.identity.EIdFormActionMiddleware",  # a page offering a funder's e-ID may send its form on to the broker
    "fundportal.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "fundportal.sessions.SessionTimeoutMiddleware",  # idle timeout, lifetime, activity (in place of allauth's)
    "fundportal.security.TwoFactorMiddleware",  # staff who must use a second factor reach no staff page without it
    "fundportal.middleware.FunderMiddleware",
    "fundportal.middleware.FunderLanguageMiddleware",
]

ROOT_URLCONF = "fundportal.urls"
WSGI_APPLICATION = "fundportal.wsgi.application"

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
                "fundportal.context_processors.portal",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# The embedded default queues simultaneous writes instead of answering "database is locked": every transaction
# takes the write lock when it begins, and a writer waits up to 20 seconds for it.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    # A covering index's extra columns (review.Assignment) are a PostgreSQL speed-up; SQLite keeps the index without
    # them, which is all the embedded default needs, so the check's warning on every command says nothing useful.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# An optional read replica (a streaming standby of the primary): the yearly report, a call's progress and the export
# jobs read from it (fundportal.db_router); everything else and every write use the primary. Tests mirror the primary.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**dj_database_url.parse(env("DATABASE_REPLICA_URL"), conn_max_age=60),
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["fundportal.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "fundportal.User"

REDIS_URL = env("REDIS_URL") or env("CELERY_BROKER_URL", "")
if REDIS_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every cache key carries the active funder (or "global"): see fundportal.tenancy.
CACHES["default"]["KEY_FUNCTION"] = "fundportal.tenancy.cache_key"

# --- Celery ----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
# Work by kind, each on its own queue so each can have its own pool of workers (docker-compose.yml): emails, PDFs
# (decision letters, receipts), exports; the rest (reminders, housekeeping) on "celery". A worker started without -Q consumes
# every one of them (the embedded set-up, the tests' worker, a single machine).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "emails", "pdfs", "exports")]
CELERY_TASK_ROUTES = {
    "fundportal.tasks.send_outbox_email": {"queue": "emails"},
    "calls.tasks.announce_call": {"queue": "emails"},
    "review.tasks.prepare_decision_letter": {"queue": "pdfs"},
    "applications.tasks.send_receipt": {"queue": "pdfs"},  # the submission's PDF, then its email
    "*.export*": {"queue": "exports"},
}

# --- People ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Behind a reverse proxy every request comes from the proxy's address: trust the proxies' X-Forwarded-For (their
# number), or the one header a proxy sets to the client's address, so rate limits count each client on its own.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("FUNDPORTAL_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("FUNDPORTAL_CLIENT_IP_HEADER") or None
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# --- Two factors and re-authentication ---
# Who must use a second factor, what counts as one and which pages wait for it: fundportal/security.py.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "FundPortal"
MFA_PASSKEY_LOGIN_ENABLED = True  # "Sign in with a passkey" where the browser offers it
# A passkey sign-in stands for both factors only when the key checked its holder (PIN or biometrics).
MFA_WEBAUTHN_USER_VERIFICATION = "required"
# WebAuthn needs a secure origin; http://127.0.0.1 in development (and the tests' live server) only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Changing an email address, the password or a second factor, and the portal's most sensitive actions
# (fundportal.security.RecentAuthenticationRequired) ask for the password or a second factor again after 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sessions --------------------------------------------------------------
# Staff (a role at any funder, operators) are signed out after their funders' shortest idle timeout without a
# request (Funder.staff_idle_timeout_minutes, at most 30); everyone is signed out at the latest some time after
# sign-in, whatever the activity: staff after FUNDPORTAL_SESSION_MAX_AGE_HOURS, everyone else after
# SESSION_COOKIE_AGE (see fundportal.sessions). The page warns FUNDPORTAL_SESSION_WARNING_SECONDS before the end.
FUNDPORTAL_SESSION_MAX_AGE_HOURS = int(env("FUNDPORTAL_SESSION_MAX_AGE_HOURS", "12"))
SESSION_COOKIE_AGE = int(env("FUNDPORTAL_SESSION_MAX_AGE_DAYS", "14")) * 24 * 60 * 60
FUNDPORTAL_SESSION_WARNING_SECONDS = 120
# A person's sessions, with address, browser and last activity, listed at /accounts/sessions/. The activity is
# recorded by fundportal.sessions at most once a minute, not by allauth's middleware (a write on every request).
USERSESSIONS_TRACK_ACTIVITY = True

# --- Sign-in with e-ID ----------------------------------------------------
# Each funder's OpenID Connect broker (fundportal.identity): allauth reads it from the funder's IdentityProvider
# through this adapter. A broker's verified email signs in the account holding it and links the e-ID to it (the
# adapter refuses that for operators and for staff of other funders); no token is kept; PKCE on every sign-in.
SOCIALACCOUNT_ADAPTER = "fundportal.identity.FunderSocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5  # seconds for each call to a broker (its configuration, keys, token, userinfo)
E_ID_ALLOW_HTTP_ON_LOCALHOST = not PRODUCTION  # a broker on this machine over http, while developing and testing

# --- Email -----------------------------------------------------------------
# Development and tests: mail is delivered to a local mailbox readable at /mailbox/. Production sends it for real.
LOCAL_MAILBOX_BACKEND = "fundportal.mail.LocalMailboxBackend"
UNDELIVERED = {LOCAL_MAILBOX_BACKEND, "django.core.mail.backends.console.EmailBackend",
               "django.core.mail.backends.locmem.EmailBackend", "django.core.mail.backends.dummy.EmailBackend",
               "django.core.mail.backends.filebased.EmailBackend"}
EMAIL_BACKEND = env("EMAIL_BACKEND", "" if PRODUCTION else LOCAL_MAILBOX_BACKEND)
if PRODUCTION and EMAIL_BACKEND in UNDELIVERED | {""}:
    raise ImproperlyConfigured("EMAIL_BACKEND must name a backend that delivers mail in production, e.g. "
                               "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.")
LOCAL_MAILBOX = not PRODUCTION  # /mailbox/ exists only in development
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "FundPortal <noreply@fundportal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "corrections"]  # ours, then our corrections to allauth's and Django's wording
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
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
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve straight from the sources
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views


def object_storage(bucket, *, endpoint_url=None, region=None, access_key=None, secret_key=None):
    """Uploads, logos and letters in an S3-compatible bucket (AWS S3, MinIO, Ceph…): private objects, a name never
    overwritten, read only through the portal's permission-checked views (it hands out no bucket address). Keys left
    unset come from boto3's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role)."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint_url or None, "region_name": region or None,
        "access_key": access_key or None, "secret_key": secret_key or None,
        "default_acl": "private", "file_overwrite": False,
        "max_memory_size": 5 * 1024 * 1024,  # a file read back is held in memory up to 5 MB, beyond on temporary disk
        "addressing_style": "path" if endpoint_url else None,  # a MinIO at http://minio:9000 has no bucket subdomains
    }}


# Local disk (MEDIA_ROOT) is the embedded default; naming a bucket moves every stored file to object storage, so
# web containers keep nothing of their own and can be added or replaced freely.
S3_BUCKET = env("FUNDPORTAL_S3_BUCKET") or env("AWS_STORAGE_BUCKET_NAME")
if S3_BUCKET:
    STORAGES["default"] = object_storage(
        S3_BUCKET, endpoint_url=env("FUNDPORTAL_S3_ENDPOINT_URL") or env("AWS_S3_ENDPOINT_URL"),
        region=env("FUNDPORTAL_S3_REGION") or env("AWS_S3_REGION_NAME"))

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Content security ----------------------------------------------------------
# Content-Security-Policy (django-csp): scripts and styles come from the portal's own static files, or carry the
# response's nonce ({{ request.csp_nonce }}: the funder's colour in base.html); no inline handler, no eval, no style
# attribute (htmx's own indicator styles are turned off in base.html's htmx-config). Images may be data: URIs (the
# QR code of an authenticator app's set-up). Forms post to the portal itself; a form whose POST is answered by a
# redirect to another site (the e-ID sign-in, sent on to the provider) needs that site among CSP_FORM_ACTION_EXTRA,
# since Chromium checks form-action on the redirect too (each configured issuer's origin, or a response's own
# addition with csp.decorators.csp_update). Django's admin needs no exception (its scripts are files, its data in
# attributes). A PDF response carries the policy too; Chromium's PDF viewer shows it all the same.
CSP_FORM_ACTION_EXTRA = env_list("FUNDPORTAL_CSP_FORM_ACTION")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *CSP_FORM_ACTION_EXTRA],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
        "report-uri": "/csp-report",  # fundportal.views.security: each violation a browser reports is logged
    },
}
# Permissions-Policy (fundportal.middleware.PermissionsPolicyMiddleware): the browser features the portal never uses
# are denied to every page and frame. Passkeys (publickey-credentials-get/-create) stay allowed: two-factor sign-in.
# Only features Chromium knows: it warns on every page of one it does not (bluetooth, ambient-light-sensor in 156).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media", "gamepad",
    "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection", "interest-cohort", "local-fonts",
    "magnetometer", "microphone", "midi", "otp-credentials", "payment", "picture-in-picture", "screen-wake-lock",
    "serial", "usb", "window-management", "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
# Where links in emails point: `make run` sets it from PORT; a deployment names its public address.
PORTAL_URL = env("PORTAL_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not PORTAL_URL.startswith("https://"):
    raise ImproperlyConfigured("PORTAL_URL must be set in production to the portal's public https:// address.")
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widget templates may live in templates/
FORMS_URLFIELD_ASSUME_HTTPS = True  # a web address typed without a scheme is https (Django 6's default; the admin's forms)

# Celery beat: each app's periodic tasks, each queued per funder (FunderTask.for_every_funder). Reminders every hour,
# each sent once (unique outbox occasion); emails and letters a dead worker left behind are handed out again every
# ten minutes.
CELERY_BEAT_SCHEDULE = {
    "application-reminders": {"task": "applications.tasks.send_reminders", "schedule": 60 * 60},
    "reviewer-reminders": {"task": "review.tasks.send_reminders", "schedule": 60 * 60},
    "stuck-emails": {"task": "fundportal.tasks.requeue_stuck_emails", "schedule": 10 * 60},
    "stuck-letters": {"task": "review.tasks.requeue_stuck_letters", "schedule": 10 * 60},
    "expired-exports": {"task": "fundportal.export_jobs.remove_expired_exports", "schedule": 60 * 60},
}
