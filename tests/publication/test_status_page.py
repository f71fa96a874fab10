"""The submitter's own status page: where the rating is, each step's date, the one action that fits."""
from urllib.parse import urlsplit

import pytest

from tests.publication.helpers import (
    EMAIL,
    START,
    approved_rating,
    confirmed_form,
    decide,
    events_to,
    link_starting,
    mails,
    page,
    press,
    rating_state,
    set_policy,
    waiting_rating,
)
from tests.publication.test_policies import run_jobs
from wdp.extensions import db
from wdp.publication.links import status_token


@pytest.fixture
def clock(app):
    from tests.editors.helpers import Clock
    return Clock(app, START)


def status_url(app, rating_id):
    with app.app_context():
        from wdp.rating_form.models import Rating
        return f"/mijn-waardering/{status_token(db.session.get(Rating, rating_id))}"


def buttons(soup):
    return [b.get_text(strip=True) for b in soup.select("main form button")]


def test_waiting_for_the_editors(app, client, clock):
    rating_id = waiting_rating(app)
    _response, soup = page(client, status_url(app, rating_id))
    text = soup.get_text()
    assert "De redactie leest je waardering." in text
    assert "Verstuurd: 2 maart 2026" in " ".join(text.split())
    assert buttons(soup) == []
    assert EMAIL not in str(soup)


def test_submitted_says_to_look_for_the_mail(app, client, clock):
    with app.app_context():
        from tests.factories import make_location
        from wdp.moderation.workflow import transition
        from wdp.rating_form.models import Rating
        rating = Rating(location=make_location(), role="self", overall_score=3,
                        email=EMAIL, reference="W-SUBM01")
        db.session.add(rating)
        transition(rating, "draft", actor_type="submitter")
        transition(rating, "submitted", actor_type="submitter")
        db.session.commit()
        rating_id = rating.id
    _response, soup = page(client, status_url(app, rating_id))
    assert "bevestigen" in soup.get_text() and "Bevestig" in soup.get_text()


def test_approved_publish_from_the_status_page_then_withdraw(app, client, clock):
    rating_id = approved_rating(app)
    url = status_url(app, rating_id)
    clock.advance(days=1)
    _response, soup = page(client, url)
    assert buttons(soup) == ["Publiceer", "Niet publiceren"]
    steps = " ".join(soup.select_one("main ol").get_text(" ").split())
    assert "Goedgekeurd door de redactie: 2 maart 2026" in steps
    response = press(client, url)
    assert response.headers["Location"] == url
    _response, soup = page(client, url)
    assert "Gelukt. Je waardering staat nu online." in soup.get_text()
    assert buttons(soup) == ["Haal mijn waardering weg"]
    assert "Online gezet: 3 maart 2026" in " ".join(soup.get_text().split())
    # The success message shows once.
    _response, soup = page(client, url)
    assert "Gelukt" not in soup.get_text()
    press(client, url)
    rating = rating_state(app, rating_id)
    assert rating.status == "withdrawn" and rating.email is None
    _response, soup = page(client, url)
    assert "Weggehaald" in soup.get_text() and buttons(soup) == []


def test_status_page_buttons_after_a_change_elsewhere(app, client, clock):
    """The page was opened, then the rating was published from the mail: a clear page."""
    rating_id = approved_rating(app)
    url = status_url(app, rating_id)
    _response, soup = page(client, url)
    form = confirmed_form(client, soup.select("main form")[1])  # Niet publiceren
    token = form.select_one("input[name=csrf_token]")["value"]
    press(client, link_starting(mails(app, "rating_approved")[-1].text, "/publiceren/"))
    response = client.post(form["action"], data={"csrf_token": token})
    assert response.status_code == 409
    assert "al online" in response.get_data(as_text=True)
    assert rating_state(app, rating_id).status == "published"


def test_not_publish_from_the_status_page(app, client, clock):
    rating_id = approved_rating(app)
    url = status_url(app, rating_id)
    _response, soup = page(client, url)
    form = confirmed_form(client, soup.select("main form")[1])
    response = client.post(form["action"],
                           data={"csrf_token": form.select_one("input")["value"]})
    assert response.status_code == 302
    assert rating_state(app, rating_id).status == "not_published"
    _response, soup = page(client, url)
    assert "Gelukt. Je waardering komt niet online." in soup.get_text()
    assert buttons(soup) == []


def test_auto_publish_status_page_offers_not_publishing_first(app, client, clock):
    rating_id = approved_rating(app, "auto_publish")
    _response, soup = page(client, status_url(app, rating_id))
    assert buttons(soup) == ["Niet publiceren", "Publiceer nu"]
    assert "16 maart 2026" in soup.get_text()


def test_changes_requested_edit_button_opens_the_revise_flow(app, client, clock):
    set_policy(app, "opt_in")
    rating_id = waiting_rating(app)
    decide(app, rating_id, "changes_requested", message="Laat de naam van de verpleger weg.")
    url = status_url(app, rating_id)
    _response, soup = page(client, url)
    assert "Laat de naam van de verpleger weg." in soup.get_text()
    assert buttons(soup) == ["Pas je waardering aan"]
    response = press(client, url)
    assert response.headers["Location"].startswith("http://wdp.test/aanpassen/")
    _response, soup = page(client, urlsplit(response.headers["Location"]).path)
    assert "Open mijn antwoorden" in soup.get_text()


def test_archived_status_page_offers_publishing_until_the_date(app, client, clock):
    rating_id = approved_rating(app)
    clock.advance(days=22)
    run_jobs(app)
    url = status_url(app, rating_id)
    _response, soup = page(client, url)
    assert "24 maart 2027" in soup.get_text()
    assert buttons(soup) == ["Publiceer"]
    press(client, url)
    assert rating_state(app, rating_id).status == "published"


def test_removed_rating_says_why(app, client, clock):
    rating_id = approved_rating(app)
    press(client, link_starting(mails(app, "rating_approved")[-1].text, "/publiceren/"))
    with app.app_context():
        from tests.factories import make_editor
        from wdp.moderation.followup import remove_reported
        from wdp.rating_form.models import Rating
        remove_reported(db.session.get(Rating, rating_id), make_editor(), ("swearing",),
                        "Er stonden scheldwoorden in.")
        db.session.commit()
    removed_mail = mails(app, "rating_removed")[-1].text
    url = link_starting(removed_mail, "/mijn-waardering/")
    _response, soup = page(client, url)
    text = soup.get_text()
    assert "Er stonden scheldwoorden in." in text and buttons(soup) == []


def test_every_submitter_mail_links_to_the_status_page(app, client, clock):
    set_policy(app, "opt_in")
    for decision, kwargs in (("rejected", {"reasons": ("swearing",), "message": "Nee."}),
                             ("changes_requested", {"message": "Pas aan."}),
                             ("approved", {})):
        rating_id = waiting_rating(app)
        decide(app, rating_id, decision, **kwargs)
        mail = mails(app)[-1]
        assert link_starting(mail.text, "/mijn-waardering/") == status_url(app, rating_id)
        assert status_url(app, rating_id)[1:] in mail.html
    # The HTML of the approval mail holds the same kind of links as its text.
    assert 'href="http://wdp.test/publiceren/' in mail.html
    assert 'href="http://wdp.test/niet-publiceren/' in mail.html


def test_publish_and_not_publish_at_the_same_moment(app, clock):
    """Two tabs of the status page press different buttons at once: one wins, the other is
    told what happened; never a 500, never both."""
    import threading
    rating_id = approved_rating(app)
    url = status_url(app, rating_id)
    clients = [app.test_client(), app.test_client()]
    forms = []
    for c in clients:
        _response, soup = page(c, url)
        forms.append(soup.select("main form"))
    jobs = [(clients[0], forms[0][0]),  # Publiceer
            (clients[1], confirmed_form(clients[1], forms[1][1]))]  # Niet publiceren
    barrier = threading.Barrier(2)
    codes = []

    def press_at_once(c, form):
        barrier.wait()
        codes.append(c.post(form["action"], data={
            "csrf_token": form.select_one("input")["value"]}).status_code)

    threads = [threading.Thread(target=press_at_once, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(codes) == [302, 409], codes
    rating = rating_state(app, rating_id)
    assert rating.status in ("published", "not_published")
    assert events_to(app, rating_id, "published") + events_to(
        app, rating_id, "not_published") == 1


def test_what_cannot_be_undone_asks_once_more_on_its_own_page(app, client, clock):
    rating_id = approved_rating(app)
    url = status_url(app, rating_id)
    _response, soup = page(client, url)
    not_publish = soup.select("main form")[1]
    assert not_publish["method"] == "get" and not not_publish.select("input[name=csrf_token]")
    response, confirm = page(client, not_publish["action"])
    assert response.status_code == 200 and rating_state(app, rating_id).status == "approved"
    assert confirm.select_one("h1").get_text(strip=True) == "Je waardering niet publiceren"
    assert [b.get_text(strip=True) for b in confirm.select("main form button")] == [
        "Niet publiceren"]
    response = press(client, not_publish["action"])
    assert rating_state(app, rating_id).status == "not_published"
    # Opened again afterwards: it says what happened, nothing changes.
    response, again = page(client, not_publish["action"])
    assert "niet te publiceren" in again.get_text()
