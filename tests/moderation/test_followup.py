"""After the first decision: withdraw an approval, handle reports, find a rating."""
import pytest
from sqlalchemy import select

from tests.editors.helpers import get
from tests.factories import make_location, make_rating
from tests.moderation.test_inbox import EMAIL, add_waiting
from tests.moderation.test_inbox_decisions import decide, state
from wdp.extensions import db
from wdp.moderation.models import Report
from wdp.rating_form.models import Rating


def post_on_item(client, rating_id, action, data):
    soup = get(client, f"/redactie/inbox/{rating_id}")
    token = soup.select_one("input[name=csrf_token]")["value"]
    return client.post(f"/redactie/inbox/{rating_id}/{action}",
                       data={"csrf_token": token, **data})


def reported_rating(app, reasons=("Er staat een naam in.",)):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        rating = make_rating(location, text="Verpleger Jan is onvriendelijk.", email=EMAIL)
        rating.reference = "W-MELD01"
        for reason in reasons:
            db.session.add(Report(rating_id=rating.id, reason=reason))
        db.session.commit()
        return rating.id, location.id


def test_withdrawing_an_approval_needs_a_reason_and_is_recorded(app, signed_in, clock, editor):
    rating_id = add_waiting(app, clock)
    decide(signed_in, rating_id, {"decision": "approved"})
    response = post_on_item(signed_in, rating_id, "intrekken", {"reason": "  "})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Schrijf waarom je de goedkeuring intrekt." in html and "error-summary" in html
    response = post_on_item(signed_in, rating_id, "intrekken",
                            {"reason": "Er staat toch een naam in."})
    assert response.headers["Location"] == f"/redactie/inbox/{rating_id}"
    rating, events, _mails = state(app, rating_id)
    assert rating.status == "in_moderation"
    assert (events[-1].from_status, events[-1].to_status, events[-1].actor_id,
            events[-1].message) == ("approved", "in_moderation", editor[0],
                                    "Er staat toch een naam in.")


def test_reports_are_listed_in_the_inbox_and_on_the_item(app, signed_in):
    rating_id, _location_id = reported_rating(app, ("Er staat een naam in.", "Klopt niet."))
    soup = get(signed_in, "/redactie/inbox")
    link = soup.select_one("[aria-labelledby=reports-heading] a")
    assert link["href"] == f"/redactie/inbox/{rating_id}" and "W-MELD01" in link.get_text()
    assert "2 meldingen" in soup.select_one("[aria-labelledby=reports-heading]").get_text()
    item = get(signed_in, f"/redactie/inbox/{rating_id}")
    assert [li.select_one(".rating-text").get_text() for li in item.select("#reports + ul li")] == [
        "Er staat een naam in.", "Klopt niet."]


def test_keeping_a_reported_rating_closes_the_reports(app, signed_in, editor):
    rating_id, _ = reported_rating(app)
    response = post_on_item(signed_in, rating_id, "melding", {"outcome": "keep"})
    assert response.headers["Location"] == "/redactie/inbox"
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert (report.outcome, report.handled_by_id) == ("kept", editor[0])
        assert db.session.get(Rating, rating_id).status == "published"


def test_removing_a_reported_rating_takes_it_off_and_tells_the_submitter(app, client, signed_in):
    rating_id, location_id = reported_rating(app)
    public = f"/ouderenzorg/locatie/{location_id}"
    assert "Verpleger Jan" in app.test_client().get(public).get_data(as_text=True)
    response = post_on_item(signed_in, rating_id, "melding", {"outcome": "remove"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Kies minstens één reden" in html
    response = post_on_item(signed_in, rating_id, "melding", {
        "outcome": "remove", "remove_reasons": ["staff"], "remove_message": "Geen namen, aub."})
    assert response.headers["Location"] == "/redactie/inbox"
    rating, events, mails = state(app, rating_id)
    assert rating.status == "removed" and events[-1].reasons == "staff"
    assert [(m.template, m.recipient) for m in mails] == [("rating_removed", EMAIL)]
    assert "Geen namen, aub." in mails[0].text
    assert "Ze valt medewerkers persoonlijk aan" in mails[0].text
    assert "Verpleger Jan" not in app.test_client().get(public).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Report.outcome)).all() == ["removed"]


def test_a_forged_outcome_is_refused(app, signed_in):
    rating_id, _ = reported_rating(app)
    response = post_on_item(signed_in, rating_id, "melding", {"outcome": "delete-all"})
    assert response.status_code == 200
    assert "Kies of de waardering blijft staan" in response.get_data(as_text=True)


@pytest.mark.parametrize("query_of", [
    lambda r: r.reference, lambda r: r.reference.lower(), lambda r: r.email.upper(),
    lambda r: "linde", lambda r: "De Linde"])
def test_search_by_reference_email_or_location(app, signed_in, query_of):
    rating_id, _ = reported_rating(app)
    with app.app_context():
        query = query_of(db.session.get(Rating, rating_id))
    soup = get(signed_in, f"/redactie/inbox/zoeken?q={query}")
    assert [a["href"] for a in soup.select("main li a")] == [f"/redactie/inbox/{rating_id}"]


def test_search_is_for_editors_only(app, client):
    response = client.get("/redactie/inbox/zoeken?q=W-MELD01")
    assert response.status_code == 302 and "/redactie/aanmelden" in response.headers["Location"]
