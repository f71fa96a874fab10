"""The public location page shows only approved responses of published ratings, and no replies."""
import pytest
from sqlalchemy import select

from tests.factories import make_editor
from tests.organisations.test_responses import ORG, TEXT, published_rating, send
from tests.organisations.test_responses import open_session as org_session
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.moderation.workflow import transition as rating_transition
from wdp.organisations import responses
from wdp.organisations.models import Response
from wdp.publication.operations import withdraw
from wdp.rating_form.models import Rating


def location_url(app, rating_id):
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        return f"/{rating.location.sector.slug}/locatie/{rating.location_id}"


def respond(app, client, clock, rating_id, decision=None, text=TEXT):
    org_session(app, client, ORG)
    assert send(client, rating_id, text).status_code == 302
    if decision:
        clock.advance(minutes=1)  # the page cache knows a change by the location's update time
        with app.app_context():
            response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
            responses.decide(response, decision, make_editor(), reasons=("swearing",),
                             message="Bericht.")
            db.session.commit()


def shown_responses(client, url):
    soup = checked_page(client, url)
    return soup, soup.select(".ratings .response")


def test_an_approved_response_shows_under_its_rating_as_the_organisations(app, client, clock):
    rating_id = published_rating(app, text="Het eten is koud.")
    url = location_url(app, rating_id)
    assert shown_responses(app.test_client(), url)[1] == []  # page cached before approval
    respond(app, client, clock, rating_id, "approved")
    soup, shown = shown_responses(app.test_client(), url)
    assert len(shown) == 1
    assert shown[0].h4.get_text(strip=True) == "Reactie van Zorggroep Test"
    assert shown[0].select_one("p").get_text() == TEXT
    article = shown[0].find_parent("article")
    assert "Het eten is koud." in article.get_text()
    # Nobody can reply to a response: no form, no link, no button in it.
    assert not shown[0].select("form, a, button, textarea")
    assert not soup.select(".ratings form")


@pytest.mark.parametrize("decision", [None, "rejected", "changes_requested"])
def test_a_response_that_is_not_approved_is_not_shown(app, client, clock, decision):
    rating_id = published_rating(app)
    respond(app, client, clock, rating_id, decision)
    soup, shown = shown_responses(app.test_client(), location_url(app, rating_id))
    assert shown == [] and TEXT.splitlines()[0] not in soup.get_text()


def test_a_response_taken_off_disappears(app, client, clock):
    rating_id = published_rating(app)
    url = location_url(app, rating_id)
    respond(app, client, clock, rating_id, "approved")
    assert len(shown_responses(app.test_client(), url)[1]) == 1
    clock.advance(minutes=1)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.take_off(response, make_editor(), "Toch niet gepast.")
        db.session.commit()
    assert shown_responses(app.test_client(), url)[1] == []


@pytest.mark.parametrize("how", ["withdrawn", "removed"])
def test_the_response_goes_with_its_rating(app, client, clock, how):
    rating_id = published_rating(app)
    url = location_url(app, rating_id)
    respond(app, client, clock, rating_id, "approved")
    assert len(shown_responses(app.test_client(), url)[1]) == 1
    clock.advance(minutes=1)
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        if how == "withdrawn":
            withdraw(rating)
        else:
            rating_transition(rating, "removed", actor_type="editor")
        db.session.commit()
    soup, shown = shown_responses(app.test_client(), url)
    assert shown == [] and TEXT.splitlines()[0] not in soup.get_text()
