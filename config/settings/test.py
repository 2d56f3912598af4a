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
