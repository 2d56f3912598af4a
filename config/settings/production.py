"""Production: nothing defaults to something unsafe.

SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, REDIS_URL, SITE_URL and EMAIL_URL must be set, DEBUG is
off, cookies are secure (so the site is served over HTTPS, by a reverse proxy in front of gunicorn).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("生产环境不得开启 DEBUG。")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS。")
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL。")
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 50 个随机字符）。")
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY 至少需要 50 个字符。")
# Without Redis the tasks would run inside web requests and every process would keep its own
# cache; without SITE_URL and EMAIL_URL reminders would carry wrong links or go nowhere.
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured("生产环境必须设置 REDIS_URL（如 redis://redis:6379/0）：任务队列、共享缓存和会话都使用 Redis。")
if not env("SITE_URL", default=""):
    raise ImproperlyConfigured("生产环境必须设置 SITE_URL（如 https://lianzheng.example.gov.cn）：邮件中的链接以它开头。")
if not SITE_URL.startswith(("https://", "http://")):  # noqa: F405
    raise ImproperlyConfigured("SITE_URL 必须以 https:// 或 http:// 开头。")
if not env("EMAIL_URL", default=""):
    raise ImproperlyConfigured(
        "生产环境必须设置 EMAIL_URL（如 smtp+tls://用户名:密码@mail.example.gov.cn:587；"
        "只把邮件写入日志用 consolemail://）。"
    )

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
