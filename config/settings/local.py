"""Defaults for a first run on a bare machine: SQLite file, DEBUG on, eager tasks."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: E402,F401,F403
