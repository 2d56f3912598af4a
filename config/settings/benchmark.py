"""Production settings as ``manage.py benchmark`` serves them: Django admin's changelists of the
same rows under /bench-admin/ beside our pages, and each response's SQL query count in a header.
The measuring client is one address asking far more than a visitor would: the API's limit is lifted."""

from .production import *  # noqa: F401,F403
from .production import MIDDLEWARE

ROOT_URLCONF = "demo.bench_urls"
MIDDLEWARE = ["demo.bench.QueryCountMiddleware", *MIDDLEWARE]
API_PUBLIC_RATE = "1000000/minute"
