"""Settings for pytest: the local defaults, fast hashing, mail kept in memory."""

from .local import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run in-process in tests; the one test that proves a real worker switches this off
# for itself and talks to the Redis named by REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
# Sessions in the database whatever REDIS_URL says, so that the query-count tests count the same
# on SQLite and on PostgreSQL with Redis (production's cached_db is checked in tests/test_project.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Every figure counted on each visit, so that a test sees what it just changed; the snapshots'
# own tests turn them on.
DASHBOARD_FRESH_SECONDS = 0
