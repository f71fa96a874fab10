"""Reads for the promotion material and the widget: a listed location by its short code."""
import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wdp.extensions import db
from wdp.locations.models import Location, is_listed

#: what a short code can look like (wdp.locations.operations.CODE_ALPHABET, up to 12 long);
#: anything else never reaches the database (PostgreSQL refuses a NUL byte with an error)
CODE_PATTERN = re.compile(r"[0-9a-z]{1,12}")


def listed_location(code):
    """The listed location with this short code (sector and organisation loaded), or None."""
    if not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.scalar(
        select(Location).where(Location.code == code, is_listed())
        .options(joinedload(Location.sector), joinedload(Location.organisation)))
