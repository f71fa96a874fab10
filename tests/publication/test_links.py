"""Bad input on the action links and the status page: a clear page, never a wrong state or a 500."""

import pytest

from tests.factories import make_rating
from tests.publication.helpers import (
    EMAIL,
    START,
    approved_rating,
    csrf_of,
    decide,
    events_to,
    link_starting,
    mails,
    page,
    press,
    rating_state,
)
from wdp.extensions import db
from wdp.locations.models import Location


@pytest.fixture
def clock(app):
    from tests.editors.helpers import Clock
    return Clock(app, START)


def approval_mail(app, rating_id, recipient=EMAIL):
    return [m for m in mails(app, "rating_approved", recipient)][-1].text


def test_private_headers_on_every_link_page(app, client, clock):
    rating_id = approved_rating(app)
    text = approval_mail(app, rating_id)
    for prefix in ("/publiceren/", "/niet-publiceren/", "/mijn-waardering/"):
        response, _soup = page(client, link_starting(text, prefix))
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    response = client.get("/publiceren/onzin-token-12345")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", [
    "/publiceren/onbekend-token-0123456789", "/niet-publiceren/x", "/intrekken/" + "a" * 300,
    "/mijn-waardering/MQ.onecht", "/mijn-waardering/" + "b" * 500, "/publiceren/%00%ff",
])
def test_unknown_and_forged_links_get_a_clear_page(client, url):
    response, soup = page(client, url, status=410)
    text = soup.get_text()
    assert "Deze link kennen we niet" in text
    assert "/mijn-links" in str(soup)  # where to get fresh links


def test_forged_links_change_nothing_on_post(app, client, clock):
    rating_id = approved_rating(app)
    token = csrf_of(client)
    for url in ("/publiceren/onbekend-token-0123456789", "/mijn-waardering/MQ.onecht/publiceren"):
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 410
    assert client.post("/mijn-waardering/MQ.x/verwijderen",
                       data={"csrf_token": token}).status_code == 404
    assert rating_state(app, rating_id).status == "approved"


def test_post_without_csrf_is_refused(app, client, clock):
    rating_id = approved_rating(app)
    url = link_starting(approval_mail(app, rating_id), "/publiceren/")
    assert client.post(url).status_code == 400
    assert rating_state(app, rating_id).status == "approved"


def test_expired_link_sends_to_the_status_page(app, client, clock):
    rating_id = approved_rating(app)
    url = link_starting(approval_mail(app, rating_id), "/publiceren/")
    clock.advance(days=401)  # the jobs do not run here: the rating is still approved
    response, soup = page(client, url, status=410)
    assert "Deze link werkt niet meer" in soup.h1.get_text()
    status = soup.select_one("main a.button")["href"]
    assert status.startswith("/mijn-waardering/")
    token = csrf_of(client)
    assert client.post(url, data={"csrf_token": token}).status_code == 410
    assert rating_state(app, rating_id).status == "approved"


def test_cross_purpose_token_is_refused(app, client, clock):
    rating_id = approved_rating(app)
    text = approval_mail(app, rating_id)
    publish_token = link_starting(text, "/publiceren/").split("/")[-1]
    not_publish_token = link_starting(text, "/niet-publiceren/").split("/")[-1]
    for url in (f"/niet-publiceren/{publish_token}", f"/intrekken/{publish_token}",
                f"/publiceren/{not_publish_token}"):
        response, soup = page(client, url, status=410)
        assert "andere knop" in soup.h1.get_text()
        token = csrf_of(client)
        assert client.post(url, data={"csrf_token": token}).status_code == 410
    assert rating_state(app, rating_id).status == "approved"
    # A changed character makes it unknown, not another purpose.
    _response, soup = page(client, "/publiceren/" + publish_token[:-2] + "xx", status=410)
    assert "kennen we niet" in soup.h1.get_text()


def test_a_token_only_acts_on_its_own_rating(app, client, clock):
    mine = approved_rating(app)
    other = approved_rating(app, email="ander@voorbeeld.test")
    press(client, link_starting(approval_mail(app, mine), "/publiceren/"))
    assert rating_state(app, mine).status == "published"
    assert rating_state(app, other).status == "approved"
    # The status token of one rating cannot act on another: the token names the rating.
    other_status = link_starting(approval_mail(app, other, "ander@voorbeeld.test"),
                                 "/mijn-waardering/")
    mine_status = link_starting(approval_mail(app, mine), "/mijn-waardering/")
    assert other_status != mine_status


def test_reused_link_and_double_click(app, client, clock):
    rating_id = approved_rating(app)
    url = link_starting(approval_mail(app, rating_id), "/publiceren/")
    _response, soup = page(client, url)
    token = soup.select_one("input[name=csrf_token]")["value"]
    first = client.post(url, data={"csrf_token": token})
    second = client.post(url, data={"csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 200
    assert "al gebeurd" in second.get_data(as_text=True)
    assert events_to(app, rating_id, "published") == 1
    # Opening it later: the same friendly page.
    _response, soup = page(client, url)
    assert "al online" in soup.get_text()


def test_two_clicks_at_once_publish_once(app, clock):
    """Two browsers post the same link at the same moment: one publishes, one is told."""
    import threading
    rating_id = approved_rating(app)
    url = link_starting(approval_mail(app, rating_id), "/publiceren/")
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_of(c) for c in clients]
    barrier = threading.Barrier(2)
    codes = []

    def click(c, token):
        barrier.wait()
        codes.append(c.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=click, args=pair) for pair in zip(clients, tokens, strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(codes) == [200, 302]
    assert events_to(app, rating_id, "published") == 1


@pytest.mark.parametrize("decision,kwargs,words", [
    ("rejected", {"reasons": ("swearing",), "message": "Er staan scheldwoorden in."},
     "Er staan scheldwoorden in."),
    ("signalled", {"note": "Geheim voor het agentschap."}, None),
])
def test_publish_link_after_a_refusal(app, client, clock, decision, kwargs, words):
    """An approval withdrawn by the editors and then refused: the old publish link explains."""
    rating_id = approved_rating(app)
    url = link_starting(approval_mail(app, rating_id), "/publiceren/")
    status = link_starting(approval_mail(app, rating_id), "/mijn-waardering/")
    with app.app_context():
        from tests.factories import make_editor
        from wdp.moderation.followup import withdraw_approval
        from wdp.rating_form.models import Rating
        withdraw_approval(db.session.get(Rating, rating_id), make_editor(), "Toch nakijken.")
        db.session.commit()
    _response, soup = page(client, url, status=409)
    assert "nog niet goedgekeurd" in soup.h1.get_text()
    decide(app, rating_id, decision, **kwargs)
    response, soup = page(client, url, status=409)
    assert "komt niet online" in soup.h1.get_text()
    token = csrf_of(client)
    assert client.post(url, data={"csrf_token": token}).status_code == 409
    assert rating_state(app, rating_id).status == decision
    _response, soup = page(client, status)
    text = soup.get_text()
    assert "komt niet online" in text
    assert "Toch nakijken." not in text and "Geheim" not in text
    assert EMAIL not in str(soup)
    if words:
        assert words in text and "scheld" in text.lower()


def test_withdraw_takes_rating_and_response_off_the_location_page_at_once(
        app, client, clock, smtp):
    rating_id = approved_rating(app)
    with app.app_context():
        from wdp.organisations.models import Response
        rating_location = rating_state(app, rating_id).location_id
        make_rating(db.session.get(Location, rating_location), text="Andere waardering.",
                            score=4)
        db.session.commit()
    press(client, link_starting(approval_mail(app, rating_id), "/publiceren/"))
    with app.app_context():
        db.session.add(Response(rating_id=rating_id, text="Dank u wel, de directie.",
                                status="approved"))
        from wdp.locations import page_cache
        page_cache.touch(rating_location)
        db.session.commit()
    location_url = f"/ouderenzorg/locatie/{rating_location}"
    _response, soup = page(client, location_url)
    assert "Het eten is lekker." in soup.get_text()
    assert "Dank u wel, de directie." in soup.get_text()
    with app.app_context():
        before = db.session.get(Location, rating_location).score_counts()
    withdraw = link_starting(mails(app, "rating_published")[-1].text, "/intrekken/")
    _response, soup = page(client, withdraw)
    assert "wissen ook je tekst" in soup.get_text()
    press(client, withdraw)
    _response, soup = page(client, location_url)
    assert "Het eten is lekker." not in soup.get_text()
    assert "Dank u wel, de directie." not in soup.get_text()
    assert "Andere waardering." in soup.get_text()
    with app.app_context():
        location = db.session.get(Location, rating_location)
        assert location.published_count == 1
        assert location.score_counts() != before
    rating = rating_state(app, rating_id)
    assert rating.status == "withdrawn" and rating.email is None
    assert rating.experience_text == "" and rating.personal_data_erased_at is not None
    assert rating.overall_score == 4
    # Reuse, and the other actions afterwards: a clear page, no change.
    _response, soup = page(client, withdraw)
    assert "al gebeurd" in soup.h1.get_text()
    publish = link_starting(approval_mail(app, rating_id), "/publiceren/")
    _response, soup = page(client, publish, status=409)
    assert "weggehaald" in soup.h1.get_text()
    assert events_to(app, rating_id, "published") == 1


def test_not_publish_on_a_published_rating_points_to_withdraw(app, client, clock):
    rating_id = approved_rating(app)
    text = approval_mail(app, rating_id)
    press(client, link_starting(text, "/publiceren/"))
    _response, soup = page(client, link_starting(text, "/niet-publiceren/"), status=409)
    assert "al online" in soup.h1.get_text()
    assert rating_state(app, rating_id).status == "published"
