"""Publication in tests: approved ratings made by an editor's decision, mails and their links."""
import re
from datetime import datetime

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.factories import make_editor, make_location
from tests.mailbox import outbox
from tests.pagecheck import check_page
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import transition
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Theme

EMAIL = "indiener@voorbeeld.test"
START = datetime(2026, 3, 2, 10, 0, 0)
LINK = re.compile(r"http://wdp\.test(/[^\s\"<>]+)")


def waiting_rating(app, email=EMAIL, consent=None, language="nl", score=4, location_id=None):
    """A confirmed rating waiting for the editors: its id."""
    with app.app_context():
        location = db.session.get(Location, location_id) if location_id else make_location()
        count = db.session.scalar(select(func.count()).select_from(Rating))
        rating = Rating(location=location, role="self", overall_score=score, language=language,
                        experience_text="Het eten is lekker.", email=email,
                        reference=f"W-P{count:05d}", publish_consent=consent)
        theme = db.session.scalars(select(Theme).where(
            Theme.sector_id == location.sector_id)).first()
        rating.answers.append(RatingAnswer(theme_id=theme.id, score=5, text="Goede zorg."))
        db.session.add(rating)
        for step in ("draft", "submitted", "in_moderation"):
            transition(rating, step, actor_type="submitter")
        db.session.commit()
        return rating.id


def set_policy(app, policy):
    from wdp.publication.policy import set_policy as store
    with app.app_context():
        store(policy)
        db.session.commit()


def decide(app, rating_id, decision="approved", **kwargs):
    """An editor decides (the inbox's own operation) and the change is committed."""
    from wdp.moderation.decisions import decide as editor_decides
    with app.app_context():
        editor = make_editor()
        editor_decides(db.session.get(Rating, rating_id), decision, editor, **kwargs)
        db.session.commit()


def approved_rating(app, policy="opt_in", **kwargs):
    set_policy(app, policy)
    rating_id = waiting_rating(app, **kwargs)
    decide(app, rating_id)
    return rating_id


def rating_state(app, rating_id):
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        db.session.expunge(rating)
        return rating


def events_to(app, rating_id, status):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RatingEvent).where(
            RatingEvent.rating_id == rating_id, RatingEvent.to_status == status))


def mails(app, template=None, recipient=EMAIL):
    return [m for m in outbox(app, recipient) if template is None or m.template == template]


def links_in(text):
    """The site paths of every link in a mail's text."""
    return LINK.findall(text)


def link_starting(text, prefix):
    found = [path for path in links_in(text) if path.startswith(prefix)]
    assert found, (prefix, text)
    return found[0]


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:3000])
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return response, soup


def press(client, url, expect=302):
    """Open the page and press its one button (the way a person does): the POST response."""
    _response, soup = page(client, url)
    form = soup.select_one("main form")
    if form["method"] == "get":
        # What cannot be undone opens a page that asks once more: press its button.
        _response, soup = page(client, form["action"])
        form = soup.select_one("main form")
    assert form["method"] == "post"
    token = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(form["action"], data={"csrf_token": token})
    assert response.status_code == expect, (url, response.status_code, response.data[:3000])
    return response


def confirmed_form(client, form):
    """The form that really acts: a GET button of the status page leads to a page with one."""
    if form["method"] == "get":
        _response, soup = page(client, form["action"])
        form = soup.select_one("main form")
    return form


def csrf_of(client):
    """A CSRF token of the client's session (from any page with a form)."""
    _response, soup = page(client, "/ouderenzorg/zoeken")
    field = soup.select_one("input[name=csrf_token]")
    if field is None:
        _response, soup = page(client, "/redactie/aanmelden")
        field = soup.select_one("input[name=csrf_token]")
    return field["value"]
