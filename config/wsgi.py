"""WSGI entry point for gunicorn. Production settings unless DJANGO_SETTINGS_MODULE says otherwise:
a server started without it must fail closed, not come up with DEBUG on and a known key."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
