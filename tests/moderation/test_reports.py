"""Anyone may report a published rating with a reason; the report waits for the editors."""
import pytest
from sqlalchemy import select

from tests.conftest import checked_page
from tests.factories import make_location, make_rating
from tests.rating_form.helpers import post_form
from wdp.extensions import db
from wdp.moderation.models import Report


@pytest.fixture
def rating_id(app):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        rating = make_rating(location, text="Er werkt hier een zekere Jan.")
        db.session.commit()
        return rating.id


def test_every_published_rating_has_a_report_link(client, app, rating_id):
    with app.app_context():
        from wdp.rating_form.models import Rating
        location_id = db.session.get(Rating, rating_id).location_id
    soup = checked_page(client, f"/ouderenzorg/locatie/{location_id}")
    link = soup.select_one(".report-link a")
    assert link["href"] == f"/melden/{rating_id}"
    assert link.get_text(" ", strip=True).startswith("Meld deze waardering")


def test_a_report_is_filed_with_its_reason(client, app, rating_id):
    soup = checked_page(client, f"/melden/{rating_id}")
    assert "Er werkt hier een zekere Jan." in soup.get_text()
    response = post_form(client, f"/melden/{rating_id}", {"reason": "Er staat een naam in."})
    assert response.headers["Location"] == f"/melden/{rating_id}/verstuurd"
    assert checked_page(client, response.headers["Location"]).h1.get_text(strip=True) == (
        "Bedankt voor je melding")
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert (report.rating_id, report.reason, report.outcome) == (
            rating_id, "Er staat een naam in.", None)


@pytest.mark.parametrize("reason,message", [
    ("", "Schrijf waarom je deze waardering meldt."),
    ("   ", "Schrijf waarom je deze waardering meldt."),
    ("x" * 1001, "Gebruik maximaal 1000 tekens"),
])
def test_a_report_needs_a_reason(client, app, rating_id, reason, message):
    response = post_form(client, f"/melden/{rating_id}", {"reason": reason})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "error-summary" in html
    with app.app_context():
        assert db.session.scalars(select(Report)).all() == []


def test_only_published_ratings_can_be_reported(client, app):
    with app.app_context():
        location = make_location()
        waiting = make_rating(location, status="in_moderation")
        db.session.commit()
        waiting_id = waiting.id
    checked_page(client, f"/melden/{waiting_id}", status=404)
    checked_page(client, "/melden/999999", status=404)
