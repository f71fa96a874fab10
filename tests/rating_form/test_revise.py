"""After the editors ask for changes, the submitter changes the rating through a mailed link."""
import re

import pytest
from sqlalchemy import select

from tests.factories import make_editor, make_location
from tests.rating_form.helpers import answer, confirmation_link, fill_all, get, post_form, start, submit
from wdp.extensions import db
from wdp.moderation.models import RatingEvent, RatingVersion
from wdp.moderation.workflow import transition
from wdp.rating_form.models import Rating


@pytest.fixture
def revise_path(app, client):
    """A confirmed rating the editors sent back, and the path of its revise link."""
    with app.app_context():
        location = make_location(name="WZC De Linde")
        db.session.commit()
        code = location.code
    start(client, type("L", (), {"code": code}))
    fill_all(client, email="indiener@voorbeeld.test")
    submit(client)
    post_form(client, "/bevestig/" + confirmation_link(app, "indiener@voorbeeld.test"), {})
    with app.test_request_context():
        from wdp.rating_form.operations import revise_link
        editor = make_editor()
        rating = db.session.scalars(select(Rating)).one()
        transition(rating, "changes_requested", actor_type="editor", actor_id=editor.id,
                   message="Haal de naam van de verpleger weg.")
        link = revise_link(rating)
        db.session.commit()
    client.delete_cookie("wdp_draft")
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_link_opens_a_page_with_the_editors_message_and_one_button(client, app, revise_path):
    soup = get(client, revise_path)
    assert "Haal de naam van de verpleger weg." in soup.get_text()
    assert soup.select_one("main form button").get_text(strip=True) == "Open mijn antwoorden"
    with app.app_context():
        assert db.session.scalars(select(Rating.status)).one() == "changes_requested"


def test_changing_and_resending_returns_the_rating_to_the_editors(client, app, revise_path):
    response = post_form(client, revise_path, {})
    assert response.headers["Location"] == "/waardering/controle"
    soup = get(client, "/waardering/controle")
    rows = {r.dt.get_text(strip=True): r for r in soup.select(".summary-row")}
    assert "E-mailadres" not in rows, "the confirmed address stays"
    assert "De kamer is klein." in rows["Je ervaring"].get_text()
    assert client.get("/waardering/email").headers["Location"] == "/waardering/controle"
    answer(client, "ervaring?terug=controle", {"text": "Het eten is lekker."})
    answer(client, "thema-2?terug=controle", {"score": "1"})
    response = submit(client)
    assert response.headers["Location"] == "/waardering/verstuurd"
    assert get(client, "/waardering/verstuurd").h1.get_text(strip=True) == (
        "Bedankt, je aangepaste waardering is verstuurd")
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert rating.status == "in_moderation"
        assert rating.experience_text == "Het eten is lekker."
        assert sorted(a.score or 0 for a in rating.answers).count(1) == 2
        version = db.session.scalars(select(RatingVersion)).one()
        assert version.number == 1
        assert version.snapshot["experience_text"] == "Het eten is lekker.\nDe kamer is klein."
        moves = db.session.execute(select(RatingEvent.from_status, RatingEvent.to_status)
                                   .order_by(RatingEvent.id)).all()
        assert moves[-1] == ("changes_requested", "in_moderation")
    # the link is used up now
    soup = get(client, revise_path, status=410)
    assert soup.h1.get_text(strip=True) == "Je hebt je waardering al aangepast"


@pytest.mark.parametrize("token", ["onbekend", "x" * 43])
def test_unknown_revise_links_are_explained(client, token):
    soup = get(client, f"/aanpassen/{token}", status=410)
    assert soup.h1.get_text(strip=True) == "Deze link kennen we niet"


def test_an_old_revise_link_stops_working_when_a_new_one_is_sent(client, app, revise_path):
    with app.test_request_context():
        from wdp.rating_form.operations import revise_link
        revise_link(db.session.scalars(select(Rating)).one())
        db.session.commit()
    soup = get(client, revise_path, status=410)
    assert soup.h1.get_text(strip=True) == "Deze link werkt niet meer"
