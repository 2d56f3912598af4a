"""Production: nothing defaults to something unsafe.

SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS must be set, DEBUG is off, cookies are secure.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("生产环境不得开启 DEBUG。")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS。")
if "DATABASE_URL" not in env.ENVIRON:
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL。")
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY 至少需要 50 个字符。")

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
