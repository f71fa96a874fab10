"""The location page cache: reused while nothing changed, renewed by every change that shows."""
import pytest
from flask import template_rendered
from sqlalchemy import select

from tests.conftest import checked_page
from tests.factories import make_location, make_rating
from wdp.extensions import db
from wdp.locations import page_cache
from wdp.locations.models import Location
from wdp.moderation.workflow import transition
from wdp.organisations.models import Response


@pytest.fixture
def renders(app):
    seen = []

    def record(sender, template, context, **extra):
        if template.name == "locations/location.html":
            seen.append(context["location"].id)

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def test_an_unchanged_page_is_rendered_once(client, app_ctx, renders):
    location = make_location()
    make_rating(location)
    db.session.commit()
    url = f"/ouderenzorg/locatie/{location.id}"
    first = client.get(url).data
    assert client.get(url).data == first
    assert renders == [location.id]
    client.get(url + "?pagina=1")
    client.get("/taal/fr?next=" + url)
    client.get(url)
    assert len(renders) == 3, "another path or language is another page"


def test_publishing_and_withdrawing_show_at_once(client, app_ctx):
    location = make_location()
    make_rating(location, text="Eerste.")
    db.session.commit()
    url = f"/ouderenzorg/locatie/{location.id}"
    assert "Eerste." in client.get(url).get_data(as_text=True)
    second = make_rating(location, text="Tweede.")
    db.session.commit()
    assert "Tweede." in client.get(url).get_data(as_text=True)
    transition(second, "withdrawn", actor_type="submitter")
    db.session.commit()
    assert "Tweede." not in client.get(url).get_data(as_text=True)


def test_a_response_shown_later_appears_after_touch(client, app_ctx):
    location = make_location()
    rating = make_rating(location)
    db.session.commit()
    url = f"/ouderenzorg/locatie/{location.id}"
    client.get(url)
    db.session.add(Response(rating=rating, text="Dank je wel.", status="approved"))
    page_cache.touch(location.id)
    db.session.commit()
    assert "Dank je wel." in client.get(url).get_data(as_text=True)


def test_a_register_change_appears(client, app_ctx):
    location = make_location(name="Oude Naam")
    db.session.commit()
    url = f"/ouderenzorg/locatie/{location.id}"
    assert checked_page(client, url).h1.get_text() == "Oude Naam"
    location = db.session.scalar(select(Location).where(Location.id == location.id))
    location.name = "Nieuwe Naam"
    db.session.commit()
    assert checked_page(client, url).h1.get_text() == "Nieuwe Naam"


def test_a_location_that_stops_participating_is_gone_even_if_cached(client, app_ctx):
    from datetime import date

    from wdp.locations.operations import end_participation
    location = make_location()
    db.session.commit()
    url = f"/ouderenzorg/locatie/{location.id}"
    checked_page(client, url)
    end_participation(location, date(2025, 6, 1))
    db.session.commit()
    checked_page(client, url, status=404)


def test_size_zero_turns_it_off(client, app, app_ctx, renders):
    app.config["WDP_PAGE_CACHE_SIZE"] = 0
    try:
        location = make_location()
        db.session.commit()
        for _ in range(2):
            client.get(f"/ouderenzorg/locatie/{location.id}")
        assert len(renders) == 2
    finally:
        app.config["WDP_PAGE_CACHE_SIZE"] = 2000
