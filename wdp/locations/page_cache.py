"""Rendered location pages, reused only while the location's counters and update time match.

A location page is costly to render (dozens of scores, dates and links) and read far more
often than it changes. Every change that alters it also changes its key: a rating entering or
leaving `published` changes a score counter (and `updated_at`, through its onupdate), the
register import changes `updated_at`, and an organisation response that is shown or hidden
must call `touch()`. Participation is checked by the query that finds the location, before
the cache is asked. The cache lives in each worker process and is never the only copy of
anything: a miss renders from the database, and a restart just starts cold.
"""
import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import update

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location

_pages = OrderedDict()
_lock = threading.Lock()


def key_for(location, page, language, path):
    sector = location.sector
    return (location.id, location.updated_at, tuple(location.score_counts().values()),
            sector.complaint_name, sector.complaint_url, page, language, path)


def get(key):
    with _lock:
        html = _pages.get(key)
        if html is not None:
            _pages.move_to_end(key)
        return html


def put(key, html):
    size = current_app.config["WDP_PAGE_CACHE_SIZE"]
    if size <= 0:
        return
    with _lock:
        _pages[key] = html
        _pages.move_to_end(key)
        while len(_pages) > size:
            _pages.popitem(last=False)


def clear():
    with _lock:
        _pages.clear()


def touch(location_id):
    """Mark a location's page as changed (e.g. a response was shown or hidden)."""
    db.session.execute(update(Location).where(Location.id == location_id)
                       .values(updated_at=now()))
