"""Settings shared by every environment; values come from the environment.

``local`` (the default of manage.py) adds safe defaults for a first run on a bare machine,
``test`` is what pytest uses, and ``production`` fails closed when something is missing.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")  # local.py supplies one; production.py requires one
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    # The project's apps, bottom layer first.
    "org",
    "notices",
    "review",
    "schedules",
    "powers",
    "riskpoints",
    "controls",
    "monitoring",
    "public",
    "demo",
    "dashboards",  # the start page's panels; apps plug theirs in through dashboards.registry
    "rest_framework",
    "drf_spectacular",
    "api",
    "documents",
    "supervision",
]

MIDDLEWARE = [
    "config.middleware.HealthCheckMiddleware",  # probes by address, before ALLOWED_HOSTS
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # 简体中文 unless the visitor chose English (cookie) or their browser asks for it.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "public.middleware.PublicNotFoundMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection: five failures for a user name from one address lock it for 15 min.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy: the proxies' addresses or networks (e.g. 10.0.0.5,172.16.0.0/12) whose
# forwarding header names the client. Empty: the socket address is the client (no proxy).
try:
    TRUSTED_PROXIES = tuple(ipaddress.ip_network(v.strip(), strict=False) for v in env.list("TRUSTED_PROXIES", default=[]))
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES 中的地址无效：{exc}") from None
CLIENT_IP_HEADER = "HTTP_" + env("CLIENT_IP_HEADER", default="X-Forwarded-For").upper().replace("-", "_")
AXES_CLIENT_IP_CALLABLE = "org.client.client_ip"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notices.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several web nodes and workers must see the same uploads: with a bucket named, they live on an
# S3-compatible store (MinIO, a government cloud's object storage). The bucket stays private;
# downloads go through the app's permission-checked views, never to a public URL.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),
        "location": env("AWS_LOCATION", default="media"),
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
    }}

# Scripts only from this site, none inline (templates wire behaviour through static/js/app.js).
# Style attributes stay allowed: the admin's history page and the flowchart legend use them, and
# they cannot run code; style sheets themselves come only from this site.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # Bootstrap draws checkboxes and selects with data: SVGs
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url_config(env("EMAIL_URL", default="") or "consolemail://")  # empty = unset
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="廉政风险防控系统 <lianzheng@localhost>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: with REDIS_URL the tasks go to a worker; without it they run in-process, so the
# embedded default works end to end on a bare machine.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The shared cache (public pages, flowchart layouts) lives in Redis when there is one, so that
# every web process sees the same copies.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "lz"}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions read from Redis and written through to the database, so that any web node serves any
# user and a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

PAGINATE_BY = 25
FILTERS_EMPTY_CHOICE_LABEL = _("全部")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"},
                # Eager tasks (the embedded default) would log every call; a worker logs its own.
                "celery.app.trace": {"level": "WARNING" if not REDIS_URL else "INFO"}},
}

# Open data and integration (api/): Django REST framework, with the OpenAPI schema by
# drf-spectacular and its documentation page (Swagger UI, vendored under static/vendor/swagger-ui/).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.rest.TaggedSchema",
    "UNAUTHENTICATED_USER": None,
}
# Requests per client address to the public API (DRF rate syntax: N/second|minute|hour|day).
API_PUBLIC_RATE = env("API_PUBLIC_RATE", default="120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "廉政风险防控公示数据接口 / Integrity-risk open data API",
    "DESCRIPTION": (
        "Read-only. The public part (/api/v1/) needs no login and shows exactly what the public site shows; "
        "the internal part (/api/internal/v1/) needs a system token. 只读接口：公开部分无需登录，内容与公示网站一致；"
        "内部部分须持系统令牌。"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [{"name": "public 公开接口"}, {"name": "internal 内部接口（须持令牌）"}],
}

# Directory login (LDAP / Active Directory), on when LDAP_AUTH_URL is set; local accounts keep
# signing in as before (the model backend is asked first). See org/directory.py.
LDAP_AUTH_URL = env.list("LDAP_AUTH_URL", default=[])
if LDAP_AUTH_URL:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "django_python3_ldap.auth.LDAPBackend"]
LDAP_AUTH_USE_TLS = env.bool("LDAP_AUTH_USE_TLS", default=False)
LDAP_AUTH_SEARCH_BASE = env("LDAP_AUTH_SEARCH_BASE", default="")
LDAP_AUTH_OBJECT_CLASS = env("LDAP_AUTH_OBJECT_CLASS", default="inetOrgPerson")
LDAP_AUTH_USER_FIELDS = {"username": env("LDAP_USERNAME_ATTRIBUTE", default="uid"), "real_name": "cn", "email": "mail"}
LDAP_AUTH_USER_LOOKUP_FIELDS = ("username",)
LDAP_AUTH_FORMAT_USERNAME = env("LDAP_AUTH_FORMAT_USERNAME", default="django_python3_ldap.utils.format_username_openldap")
LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN = env("LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN", default=None)
LDAP_AUTH_CONNECTION_USERNAME = env("LDAP_AUTH_CONNECTION_USERNAME", default=None)
LDAP_AUTH_CONNECTION_PASSWORD = env("LDAP_AUTH_CONNECTION_PASSWORD", default=None)
LDAP_AUTH_SYNC_USER_RELATIONS = "org.directory.sync_user"
LDAP_AUTH_FORMAT_SEARCH_FILTERS = "org.directory.search_filters"
LDAP_AUTH_CONNECT_TIMEOUT = 5
LDAP_AUTH_RECEIVE_TIMEOUT = 10
LDAP_DEPARTMENT_ATTRIBUTE = env("LDAP_DEPARTMENT_ATTRIBUTE", default="departmentNumber")
LDAP_DEPARTMENT_UNITS = env.dict("LDAP_DEPARTMENT_UNITS", default={})
LDAP_ACTIVE_FILTER = env("LDAP_ACTIVE_FILTER", default="")
# The start page's figures are kept this long (dashboards.snapshots); 0 counts them on every visit.
DASHBOARD_FRESH_SECONDS = env.int("DASHBOARD_FRESH_SECONDS", default=600)
# Documents (documents app): longer ones are built by a Celery task, kept for a while.
DOCUMENT_INLINE_LIMIT = env.int("DOCUMENT_INLINE_LIMIT", default=60)  # items; more are built in the background
DOCUMENT_KEEP_DAYS = env.int("DOCUMENT_KEEP_DAYS", default=7)
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # not every layout step of every PDF

