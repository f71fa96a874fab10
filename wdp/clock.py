"""The one clock every part of WDP reads; tests (and only tests) may set it."""
import os
from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """Return the current time as a naive UTC datetime.

    In the test configuration only, WDP_NOW (ISO format) fixes the time, so a job
    runner started in another process sees the same moment as the test.
    """
    if has_app_context() and current_app.testing:
        fixed = current_app.config.get("WDP_NOW") or os.environ.get("WDP_NOW")
        if fixed:
            return datetime.fromisoformat(fixed)
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    return now().date()
