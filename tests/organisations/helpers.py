"""Test helpers for the organisation side: a contact's link and an open organisation session."""
from wdp.extensions import db
from wdp.organisations import access


def issue_link(app, email):
    """(contact id, raw token) of a new link for the register address (committed)."""
    with app.app_context():
        contact = access.contact_for(email)
        raw = access.issue_link(contact)
        db.session.commit()
        return contact.id, raw


def open_session(app, client, email):
    """Give the test client an organisation session for the address, as the link's button does.

    Tests of the link itself go through the real routes; this is for tests of what comes after.
    """
    contact_id, raw = issue_link(app, email)
    with app.app_context():
        _state, token = access.token_state(raw)
        token_id = token.id
    from wdp.clock import now
    moment = now().isoformat()
    with app.test_request_context():
        with client.session_transaction() as session:
            session[access.SESSION_KEY] = {"token": token_id, "since": moment, "seen": moment}
    return contact_id


# -- the organisation page's tests (link, page, export, notify, editors) -----------------------

ORG_EMAIL = "info@zonnebloem.test"


def rated_location(app, email=ORG_EMAIL, ratings=(), name=None, sector="ouderenzorg"):
    """A participating location with published ratings, each (score, text, {theme position:
    (score, text)}) with answers to the sector's current themes: (location id, [rating ids])."""
    from sqlalchemy import select

    from tests.factories import make_location, make_rating
    from wdp.rating_form.models import RatingAnswer
    from wdp.sectors.models import Theme
    with app.app_context():
        location = make_location(sector=sector, email=email, name=name)
        themes = db.session.scalars(select(Theme).where(
            Theme.sector_id == location.sector_id, Theme.is_current.is_(True))
            .order_by(Theme.position)).all()
        ids = []
        for n, (score, text, answers) in enumerate(ratings):
            rating = make_rating(location, score=score, text=text)
            rating.reference = f"W-T{location.id:03d}{n:03d}"
            for position, (theme_score, theme_text) in answers.items():
                rating.answers.append(RatingAnswer(theme_id=themes[position].id,
                                                   score=theme_score, text=theme_text))
            ids.append(rating.id)
        db.session.commit()
        return location.id, ids


def follow_link(client, raw):
    """Open a mailed link the way a browser does: GET it, then press the one button."""
    from bs4 import BeautifulSoup
    response = client.get(f"/organisatie/link/{raw}")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    soup = BeautifulSoup(page.data, "html.parser")
    token = soup.select_one("input[name=csrf_token]")["value"]
    return client.post("/organisatie/openen", data={"csrf_token": token})
