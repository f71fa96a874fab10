"""Per-worker copies of rows that rarely change (themes, reasons, message templates), kept a few seconds."""
import time
from types import SimpleNamespace

from flask import current_app

#: where the copies live: app.extensions[STORE] = {key: (until, value)}
STORE = "wdp_kept"


def kept(key, load):
    """load()'s value, as this worker read it at most WDP_SETTINGS_CACHE_SECONDS ago.

    For rows an administrator edits now and then and every request of a page reads: another
    worker's change shows here within those seconds. 0 loads on every call (the tests do).
    The value must be plain data (never ORM objects: a commit expires them, and a later
    request's session does not know them).
    """
    seconds = current_app.config["WDP_SETTINGS_CACHE_SECONDS"]
    if not seconds:
        return load()
    store = current_app.extensions.setdefault(STORE, {})
    entry = store.get(key)
    moment = time.monotonic()
    if entry is not None and entry[0] > moment:
        return entry[1]
    value = load()
    store[key] = (moment + seconds, value)
    return value


def forget(key=None):
    """Drop this worker's copy of key (of everything without one): the next call loads it."""
    store = current_app.extensions.get(STORE, {})
    if key is None:
        store.clear()
    else:
        store.pop(key, None)


def copy_of(instance, cls):
    """A plain cls (a SimpleNamespace subclass) with the mapped columns of an ORM instance."""
    from sqlalchemy import inspect
    return cls(**{attr.key: getattr(instance, attr.key)
                  for attr in inspect(type(instance)).column_attrs})


class Copy(SimpleNamespace):
    """A read-only stand-in for an ORM row: the same attribute names, no session."""


# -- themes ----------------------------------------------------------------------------------

def _theme_class():
    from wdp.sectors.models import Theme

    class ThemeCopy(Copy):
        text = Theme.text
    return ThemeCopy


_THEME_COPY = None


def _all_themes():
    global _THEME_COPY
    from sqlalchemy import select

    from wdp.extensions import db
    from wdp.sectors.models import Theme
    if _THEME_COPY is None:
        _THEME_COPY = _theme_class()
    rows = db.session.execute(select(Theme.__table__).order_by(Theme.position, Theme.id))
    return {row.id: _THEME_COPY(**row._asdict()) for row in rows}


def themes_by_id(ids=()):
    """{theme id: a copy of the theme} of every version of every theme (a few dozen rows).

    When one of ids is not in this worker's copy (a theme added a moment ago), it reads
    them again.
    """
    themes = kept("themes", _all_themes)
    if any(theme_id not in themes for theme_id in ids):
        forget("themes")
        themes = kept("themes", _all_themes)
    return themes


def current_themes(sector_id):
    """Copies of the sector's current themes in order (as sectors.queries.current_themes):
    every page of the rating form needs them."""
    return kept(("current_themes", sector_id), lambda: _current_themes(sector_id))


def _current_themes(sector_id):
    global _THEME_COPY
    from sqlalchemy import select

    from wdp.extensions import db
    from wdp.sectors.models import Theme
    if _THEME_COPY is None:
        _THEME_COPY = _theme_class()
    rows = db.session.execute(select(Theme.__table__).where(
        Theme.sector_id == sector_id, Theme.is_current.is_(True)).order_by(Theme.position))
    return [_THEME_COPY(**row._asdict()) for row in rows]
