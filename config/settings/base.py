"""Settings read from the environment, with embedded defaults for a bare machine.

No DATABASE_URL means SQLite; no REDIS_URL means Celery runs eagerly and the
cache is in-process. DJANGO_DEBUG=false switches on the production hardening
that ``manage.py check --deploy`` expects.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from kombu import Queue

# The API's schema, its docs pages and cross-origin access (docs/integrating.md).
from config.settings.api import *  # noqa: F403

# People and the email that reaches them (sign-in, invitations, respondent links,
# mail backend, reminders) are in their own module.
from config.settings.people import *  # noqa: F403
from config.settings.people import REMINDERS_HOUR_UTC
from jobs import timeouts as job_timeouts

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The development key is only ever used with DEBUG on; production must set one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if not DEBUG else "dev-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is false")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "config.exceptions.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "accounts",
    "jobs",
    "providers",
    "questionnaires",
    "needs",
    "evaluations",
    "integrations",
    "notifications",
    "responses",
    "console",
    "contracts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer on its own (413s, redirects), so those
    # answers carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "config.middleware.ApiTrailingSlashMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' templates: overrides of third-party pages (the Redoc page).
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # The rate limits and the token cache use it, and both do without it
            # when it fails (config/throttling.py, accounts/token_cache.py): fail
            # fast, never hang a request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Bearer tokens kept in the cache (accounts/token_cache.py) only where every
# process shares it: an in-process cache would miss the others' revocations.
TOKEN_CACHE = env.bool("TOKEN_CACHE", default=bool(REDIS_URL))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Request limits: bodies above these are refused with 413 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsOrganizationMember"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "config.filters.StrictDjangoFilterBackend",
        "config.filters.IdListFilter",
        "config.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.CallerRateThrottle",
    ],
    # Proxies in front of the app that append to X-Forwarded-For; 0 means the
    # client address is the connection's, whatever the header claims.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
        "respondent_link": env.str("THROTTLE_RESPONDENT_LINK", default="120/minute"),
    },
    "EXCEPTION_HANDLER": "config.exceptions.problem_details_handler",
    # JSON in; endpoints that take files declare their own parsers.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Webhooks (integrations). Outside development, targets must be https and resolve
# to public addresses only (checked on save and before every attempt).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=DEBUG)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
# Retry n waits between half and all of min(MAX, BASE * 2**(n-1)) seconds; the
# broker's visibility timeout is derived to outlast MAX (see below).
WEBHOOK_BACKOFF_BASE_SECONDS = env.int("WEBHOOK_BACKOFF_BASE_SECONDS", default=30)
WEBHOOK_BACKOFF_MAX_SECONDS = env.int("WEBHOOK_BACKOFF_MAX_SECONDS", default=900)
WEBHOOK_SECRET_GRACE_SECONDS = env.int("WEBHOOK_SECRET_GRACE_SECONDS", default=24 * 3600)
WEBHOOK_LOG_RETENTION_DAYS = env.int("WEBHOOK_LOG_RETENTION_DAYS", default=30)

# Celery. Without a broker the tasks run inline and their errors propagate, so a
# bare `make run` behaves like the real stack minus the queue.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One queue per kind of work, so a backlog of one (say, webhook deliveries) never
# waits in front of another (a scoring job). A worker consumes every queue unless
# told otherwise (`-Q`); the sweeper, maintenance and pings use "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "scoring", "reports", "webhooks")]
CELERY_TASK_ROUTES = {
    "evaluations.tasks.score_evaluation": {"queue": "scoring"},
    "evaluations.tasks_reports.generate_report": {"queue": "reports"},
    "integrations.tasks.deliver_webhook": {"queue": "webhooks"},
    # Notifications use the default "celery" queue: a send takes milliseconds.
}

# Timeouts, in the order jobs/timeouts.py explains: a task ends before the broker
# redelivers it, and a killed worker's job is redelivered before the sweeper
# fails it. Unset values are derived from the others; inconsistent ones are
# refused here, so no process (web, worker, beat) starts with them.
JOB_TIMEOUT_MARGIN_SECONDS = env.int("JOB_TIMEOUT_MARGIN_SECONDS", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT * 9 // 10
)
# A delivery attempt needs seconds (connect + read timeouts), never the full task limit.
WEBHOOK_TASK_TIME_LIMIT = min(120, CELERY_TASK_TIME_LIMIT)
# A send takes seconds (EMAIL_TIMEOUT bounds each SMTP step), never the full task limit.
NOTIFICATION_TASK_TIME_LIMIT = min(120, CELERY_TASK_TIME_LIMIT)
# Waits between attempts stay under the webhooks' maximum, which the broker's
# visibility timeout below is derived to outlast (a waiting retry is not redelivered).
NOTIFICATION_BACKOFF_MAX_SECONDS = min(
    env.int("NOTIFICATION_BACKOFF_MAX_SECONDS", default=600), WEBHOOK_BACKOFF_MAX_SECONDS
)
# A claim this old belongs to a worker that died mid-send (longer than any task runs).
NOTIFICATION_CLAIM_STALE_SECONDS = NOTIFICATION_TASK_TIME_LIMIT + JOB_TIMEOUT_MARGIN_SECONDS
# Pending this long past the longest retry wait, a send is queued again (lost message).
NOTIFICATION_REQUEUE_GRACE = 120
NOTIFICATION_REQUEUE_BATCH = 500
# Workers sweep for the messages of dead workers this often (one scan per sweep).
UNACKED_RESTORE_INTERVAL = 10
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT",
    default=job_timeouts.minimum_visibility_timeout(
        task_time_limit=CELERY_TASK_TIME_LIMIT,
        webhook_task_time_limit=WEBHOOK_TASK_TIME_LIMIT,
        webhook_backoff_max=WEBHOOK_BACKOFF_MAX_SECONDS,
        margin=JOB_TIMEOUT_MARGIN_SECONDS,
    ),
)
JOB_SWEEP_INTERVAL_SECONDS = env.float("JOB_SWEEP_INTERVAL_SECONDS", default=60.0)
# The sweeper sends again a job still "pending" this long after its last send
# (the message may be lost; copies are dropped). It fails a job "running" this
# long after its last heartbeat, or still "pending" this long after it was created.
JOB_RESEND_AFTER_SECONDS = env.int("JOB_RESEND_AFTER_SECONDS", default=60)
JOB_STALE_AFTER_SECONDS = env.int(
    "JOB_STALE_AFTER_SECONDS",
    default=job_timeouts.minimum_stale_after(
        visibility_timeout=CELERY_VISIBILITY_TIMEOUT,
        unacked_restore_interval=UNACKED_RESTORE_INTERVAL,
        task_time_limit=CELERY_TASK_TIME_LIMIT,
        resend_after=JOB_RESEND_AFTER_SECONDS,
        sweep_interval=JOB_SWEEP_INTERVAL_SECONDS,
        margin=JOB_TIMEOUT_MARGIN_SECONDS,
    ),
)
_timeout_problems = job_timeouts.problems(
    job_timeouts.Timeouts(
        task_time_limit=CELERY_TASK_TIME_LIMIT,
        task_soft_time_limit=CELERY_TASK_SOFT_TIME_LIMIT,
        webhook_task_time_limit=WEBHOOK_TASK_TIME_LIMIT,
        webhook_backoff_max=WEBHOOK_BACKOFF_MAX_SECONDS,
        visibility_timeout=CELERY_VISIBILITY_TIMEOUT,
        unacked_restore_interval=UNACKED_RESTORE_INTERVAL,
        stale_after=JOB_STALE_AFTER_SECONDS,
        resend_after=JOB_RESEND_AFTER_SECONDS,
        sweep_interval=JOB_SWEEP_INTERVAL_SECONDS,
        margin=JOB_TIMEOUT_MARGIN_SECONDS,
    )
)
if _timeout_problems:
    raise environ.ImproperlyConfigured("Inconsistent timeouts: " + " ".join(_timeout_problems))

# Socket timeouts keep a dead or half-open broker from blocking a publish (and
# the request making it) forever; the publish itself is retried briefly, then
# jobs.dispatch leaves the job pending for the sweeper to send again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": UNACKED_RESTORE_INTERVAL,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-jobs": {
        "task": "jobs.tasks.sweep_stale_jobs",
        "schedule": JOB_SWEEP_INTERVAL_SECONDS,
    },
    # Expired idempotency keys, old tombstones and webhook logs; lost deliveries re-queued.
    "integrations-maintenance": {"task": "integrations.tasks.maintenance", "schedule": 300.0},
    # Notification sends whose message was lost (broker down at enqueue, worker died).
    "notifications-requeue-stalled": {
        "task": "notifications.tasks.requeue_stalled",
        "schedule": 300.0,
    },
    # Idempotent: a second run the same day (or a redelivery) sends nothing new.
    "notifications-send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute=0, hour=REMINDERS_HOUR_UTC),
    },
    # Idempotent too: one email per contact, kind and due date, ever.
    "responses-send-reminders": {
        "task": "responses.tasks.send_response_reminders",
        "schedule": crontab(minute=15, hour=REMINDERS_HOUR_UTC),
    },
    # Idempotent: one round per contract and due date, however often it runs.
    "contracts-open-due-reassessments": {
        "task": "contracts.tasks.open_due_reassessments",
        "schedule": crontab(minute=30, hour=REMINDERS_HOUR_UTC),
    },
    # Idempotent: each reminder once per admin, contract and date.
    "contracts-send-reminders": {
        "task": "contracts.tasks.send_contract_reminders",
        "schedule": crontab(minute=45, hour=REMINDERS_HOUR_UTC),
    },
    # Idempotent too: one email per finding, kind and due date, ever.
    "contracts-send-finding-reminders": {
        "task": "contracts.tasks.send_finding_reminders",
        "schedule": crontab(minute=50, hour=REMINDERS_HOUR_UTC),
    },
}
# Sync pages only show rows this old, so a slow transaction cannot commit a row
# behind a cursor that has already passed it; tombstones are kept this long.
SYNC_SETTLE_SECONDS = env.float("SYNC_SETTLE_SECONDS", default=5.0)
SYNC_TOMBSTONE_RETENTION_DAYS = env.int("SYNC_TOMBSTONE_RETENTION_DAYS", default=90)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's default config gives its logger its own handlers and level, which
    # would print every 4xx warning whatever LOG_LEVEL says.
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP
    SESSION_COOKIE_SECURE = True
    # Django's defaults, stated: scripts never read the session cookie, and other
    # sites' forms do not carry it.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
