"""Waiting for a real worker: re-read a row until it shows the work done, or time runs out."""

import time


def refreshed_until(obj, done, seconds):
    """Refresh ``obj`` every 0.2 s until ``done(obj)`` holds or ``seconds`` pass; return ``obj``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        obj.refresh_from_db()
        if done(obj):
            break
        time.sleep(0.2)
    return obj
