"""Small builders for test data, going through the same operations as the app."""
import itertools
from datetime import date

from sqlalchemy import select

from wdp.extensions import db
from wdp.locations.models import Location, Organisation
from wdp.locations.operations import start_participation
from wdp.locations.search_keys import location_search_key
from wdp.moderation.workflow import transition
from wdp.organisations.models import Response
from wdp.rating_form.models import Rating
from wdp.sectors.models import LocationKind, Sector

_counter = itertools.count(1)
PATH_TO_PUBLISHED = ("draft", "submitted", "in_moderation", "approved", "published")


def make_location(sector="ouderenzorg", kind=None, name=None, municipality="Gent",
                  postcode="9000", organisation="Zorggroep Test", participating=True,
                  register_status="actief", email="info@locatie.test", **fields):
    n = next(_counter)
    sector_row = db.session.scalar(select(Sector).where(Sector.slug == sector))
    kind_row = (db.session.scalar(select(LocationKind).where(LocationKind.slug == kind))
                if kind else sector_row.kinds[0])
    org = db.session.scalar(select(Organisation).where(Organisation.name == organisation))
    if org is None:
        org = Organisation(name=organisation)
        db.session.add(org)
    name = name or f"Locatie {n}"
    location = Location(
        sector=sector_row, kind=kind_row, organisation=org, name=name,
        street=fields.pop("street", "Kerkstraat 1"), postcode=postcode, municipality=municipality,
        contact_email=email, register_source="test", register_id=f"T{n}",
        register_status=register_status, code=f"t{n:05d}",
        search_key=location_search_key(name, organisation, municipality, postcode), **fields)
    db.session.add(location)
    db.session.flush()
    if participating:
        start_participation(location, date(2025, 1, 1))
    db.session.flush()
    return location


def make_rating(location, status="published", score=4, text="Fijne plek.", role="self",
                email="iemand@voorbeeld.test", response=None):
    rating = Rating(location=location, role=role, overall_score=score, experience_text=text,
                    email=email)
    db.session.add(rating)
    path = PATH_TO_PUBLISHED
    if status in ("withdrawn", "removed"):
        path = path + (status,)
    elif status != "published":
        path = path[:path.index(status) + 1] if status in path else path[:3] + (status,)
    for step in path:
        transition(rating, step, actor_type="system")
    if response:
        db.session.add(Response(rating=rating, text=response, status="approved"))
    db.session.flush()
    return rating


def make_editor(name="Eva Redactie", email=None, role="editor"):
    from wdp.editors.models import Editor
    editor = Editor(name=name, email=email or f"editor{next(_counter)}@wdp.test", role=role)
    db.session.add(editor)
    db.session.flush()
    return editor
