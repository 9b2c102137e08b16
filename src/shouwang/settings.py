"""Settings from environment variables; SQLite under var/ unless DATABASE_URL says otherwise."""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SHOUWANG_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("SHOUWANG_VAR", PROJECT_DIR / "var"))

# The secret key: from the environment in a deployment (`shouwang serve` refuses to start
# without it); the demo makes a random one once under var/; tests and one-off commands fall
# back to a development key that `check --deploy` reports.
DEV_SECRET_KEY = "insecure-dev-key-for-tests-and-commands-only"
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SHOUWANG_SECRET_KEY") or (
    SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else DEV_SECRET_KEY)
DEBUG = os.environ.get("SHOUWANG_DEBUG", "0") == "1"
# /admin/ (Django's admin) only when an administrator turns it on.
ADMIN_ENABLED = os.environ.get("SHOUWANG_ADMIN", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SHOUWANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SHOUWANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "axes",
    "shouwang.core",
    "shouwang.policies",
    "shouwang.obligations",
    "shouwang.registers",
    "shouwang.patrols",
    "shouwang.duty",  # after patrols: its demo rosters the forces the patrols demo makes
    "shouwang.resources",  # after patrols: its demo issues equipment to the patrol demo's teams
    "shouwang.inspections",
    "shouwang.incidents",
    "shouwang.plans",
    "shouwang.briefings",
    "shouwang.audit",
]

MIDDLEWARE = [
    "shouwang.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shouwang.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shouwang.core.middleware.ChangeContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Password guessing (django-axes): after 5 wrong passwords an account is locked, and so is an
# address, for 15 minutes (each on its own: one address cannot try many accounts, many
# addresses cannot try one account). `shouwang axes_reset_username <name>` / `axes_reset_ip`
# lift a lockout early; every failure and lockout is logged.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("SHOUWANG_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SHOUWANG_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shouwang.core.views.system.locked_out"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("SHOUWANG_PROXY_COUNT", "0"))  # behind a proxy: trust its header

ROOT_URLCONF = "shouwang.urls"
WSGI_APPLICATION = "shouwang.wsgi.application"

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
                "django.template.context_processors.i18n",
                "shouwang.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'shouwang.sqlite3'}",
        conn_max_age=int(os.environ.get("SHOUWANG_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the scheduler thread and request threads share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SHOUWANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the app folders (WhiteNoise finders); collectstatic is optional.
STATIC_ROOT = os.environ.get("SHOUWANG_STATIC_ROOT") or None
# Leaflet's JS and CSS come from the django-leaflet wheel (its app is not installed: its
# admin needs GDAL); served like our own static files, so maps work with no internet.
STATICFILES_DIRS = [BASE_DIR / "static", Path(importlib.util.find_spec("leaflet").origin).parent / "static"]
# Phones send a queued photo (up to 5 MB, base64 in JSON) with the rest of their offline queue.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE

# By default e-mails are written as files under var/mail (a closed network has no relay, and the
# console would drown in the demo's escalations); set SHOUWANG_EMAIL_BACKEND + EMAIL_* for SMTP.
EMAIL_BACKEND = os.environ.get("SHOUWANG_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("SHOUWANG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SHOUWANG_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SHOUWANG_FROM_EMAIL", "shouwang@localhost")

# An empty filter choice reads 全部 ("All"), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["shouwang.core.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "shouwang.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shouwang.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shouwang API",
    "DESCRIPTION": "Registers, obligations, patrols and incidents of a street office.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Fields named kind, state, level or colour on several models: one meaningful enum each.
    "ENUM_NAME_OVERRIDES": {
        "IncidentLevelEnum": "shouwang.incidents.choices.IncidentLevel",
        "NotificationKindEnum": "shouwang.obligations.choices.NotificationKind",
        "WorkingStateEnum": "shouwang.registers.choices.WorkingState",
        "RiskColourEnum": "shouwang.registers.choices.RiskColour",
        "SightingKindEnum": "shouwang.patrols.choices.SightingKind",
        "PlaceCategoryEnum": "shouwang.registers.choices.Category",
        "SupplyMovementKindEnum": "shouwang.resources.choices.MovementKind",
        "RecordedMovementKindEnum": "shouwang.resources.choices.RECORDED_CHOICES",
        "EquipmentKindEnum": "shouwang.resources.choices.EquipmentKind",
        "EquipmentEventKindEnum": "shouwang.resources.choices.EventKind",
        "EquipmentConditionEnum": "shouwang.resources.choices.Condition",
        "CallOutKindEnum": "shouwang.resources.choices.CallOutKind",
        "PointKindEnum": "shouwang.resources.choices.PointKind",
        "VehicleKindEnum": "shouwang.resources.choices.VehicleKind",
        "DrillKindEnum": "shouwang.plans.choices.DrillKind",
        "CampaignKindEnum": "shouwang.plans.choices.CampaignKind",
        "PersonKindEnum": "shouwang.core.choices.PersonKind",
        "RoleEnum": "shouwang.core.choices.Role",
        "DutyPostEnum": "shouwang.duty.choices.Post",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shouwang.core.middleware.RequestIdFilter"},
                "client_errors": {"()": "shouwang.core.middleware.ClientErrorsWithoutTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id", "client_errors"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHOUWANG_LOG_LEVEL", "WARNING")},
}

# Behind HTTPS (docs/deploy.md): secure cookies, HSTS, redirect, the proxy's scheme header.
if os.environ.get("SHOUWANG_HTTPS", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SHOUWANG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SHOUWANG_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SHOUWANG_HSTS_PRELOAD", "0") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
# The browsers' HSTS preload list is for public sites; an office network opts in with
# SHOUWANG_HSTS_PRELOAD=1, so its absence is not a warning here.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"

# Webhooks reach public addresses; internal ones only when listed here (networks or hosts).
WEBHOOK_ALLOW = [x.strip() for x in os.environ.get("SHOUWANG_WEBHOOK_ALLOW", "").split(",") if x.strip()]

# Maps draw no tiles by default (a closed network has no map server to reach). An office with
# an internal tile server gives its URL template, e.g. http://tiles.gov.local/{z}/{x}/{y}.png,
# and the attribution line it owes (shown only when given; never a third-party flag).
SHOUWANG_MAP_TILES = os.environ.get("SHOUWANG_MAP_TILES", "").strip()
SHOUWANG_MAP_ATTRIBUTION = os.environ.get("SHOUWANG_MAP_ATTRIBUTION", "").strip()
SHOUWANG_MAP_MAX_ZOOM = int(os.environ.get("SHOUWANG_MAP_MAX_ZOOM", "19"))
