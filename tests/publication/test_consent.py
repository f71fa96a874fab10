"""Consent at submission: the check page asks, only under that policy, whether the rating may go
online as soon as the editors approve it; the answer is required there and reaches the rating."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_location
from tests.pagecheck import check_page
from tests.publication.extras_helpers import choose_policy
from tests.rating_form.helpers import csrf, fill_all, get, start
from wdp.extensions import db
from wdp.publication import policy
from wdp.rating_form.models import Draft, Rating

QUESTION = "Mag je waardering online komen zodra de redactie ze goedkeurt?"
MESSAGE = "Kies of je waardering online mag komen zodra de redactie ze goedkeurt."


@pytest.fixture
def location(app):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        db.session.commit()
        return type("L", (), {"code": location.code})


def _ready_to_send(client, location):
    start(client, location)
    assert fill_all(client) == "/waardering/controle"
    return get(client, "/waardering/controle")


def _send(client, soup, **data):
    return client.post("/waardering/versturen", data={"csrf_token": csrf(soup), **data})


def _ratings(app):
    with app.app_context():
        return db.session.execute(select(Rating.status, Rating.publish_consent)).all()


def test_consent_policy_asks_the_question_with_nothing_chosen(app, client, location):
    choose_policy(app, policy.CONSENT)
    soup = _ready_to_send(client, location)
    fieldset = soup.select_one("form[action='/waardering/versturen'] fieldset")
    assert fieldset.legend.get_text(strip=True) == QUESTION
    assert fieldset.legend.h2, "the question is a heading under the page's h1"
    assert "later altijd nog van de site halen" in soup.select_one(
        "#publish_consent-hint").get_text()
    assert "publish_consent-hint" in fieldset["aria-describedby"]
    radios = fieldset.select("input[type=radio][name=publish_consent]")
    assert [r["value"] for r in radios] == ["yes", "no"]
    assert not any(r.has_attr("checked") for r in radios)
    labels = [soup.select_one(f"label[for={r['id']}]").get_text(strip=True) for r in radios]
    assert labels == ["Ja, zet ze online zodra de redactie ze goedkeurt",
                      "Nee, ik kies zelf na de goedkeuring"]


@pytest.mark.parametrize(("answer", "stored"), [("yes", True), ("no", False)])
def test_the_answer_is_stored_on_the_draft_and_the_rating(app, client, location, answer, stored):
    choose_policy(app, policy.CONSENT)
    response = _send(client, _ready_to_send(client, location), publish_consent=answer)
    assert response.status_code == 302 and response.headers["Location"] == "/waardering/verstuurd"
    assert _ratings(app) == [("submitted", stored)]
    with app.app_context():
        assert db.session.scalars(select(Draft.publish_consent)).one() is stored


@pytest.mark.parametrize("data", [{}, {"publish_consent": ""}, {"publish_consent": "misschien"}])
def test_no_answer_shows_the_error_and_sends_nothing(app, client, location, data):
    choose_policy(app, policy.CONSENT)
    response = _send(client, _ready_to_send(client, location), **data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    assert soup.title.get_text().startswith("Fout: Kijk je antwoorden na")
    summary = soup.select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    assert summary.find_next("h1").get_text(strip=True) == "Kijk je antwoorden na", (
        "the summary comes before the h1")
    link = summary.select_one("a")
    assert link.get_text(strip=True) == MESSAGE and link["href"] == "#publish_consent-0"
    assert soup.select_one("#publish_consent-0")["value"] == "yes"
    error = soup.select_one("#publish_consent-error")
    assert error.get_text(" ", strip=True) == f"Fout: {MESSAGE}"
    assert "publish_consent-error" in soup.select_one("fieldset")["aria-describedby"]
    assert not soup.select("input[name=publish_consent][checked]")
    assert _ratings(app) == []
    # Choosing now sends it.
    assert _send(client, soup, publish_consent="no").status_code == 302
    assert _ratings(app) == [("submitted", False)]


@pytest.mark.parametrize("chosen", [policy.OPT_IN, policy.AUTO_PUBLISH])
def test_other_policies_do_not_ask_and_leave_consent_empty(app, client, location, chosen):
    choose_policy(app, chosen)
    soup = _ready_to_send(client, location)
    assert not soup.select("input[name=publish_consent]")
    assert QUESTION not in soup.get_text()
    # Even a forged answer is ignored: only the consent policy asks.
    assert _send(client, soup, publish_consent="yes").status_code == 302
    assert _ratings(app) == [("submitted", None)]


def test_auto_publish_says_when_it_goes_online(app, client, location):
    choose_policy(app, policy.AUTO_PUBLISH)
    steps = _ready_to_send(client, location).select("main ol li")
    assert steps[-1].get_text(strip=True) == (
        "Keurt de redactie ze goed? Dan komt ze 14 dagen later online, tenzij jij nee zegt.")


def test_a_policy_change_while_checking_asks_before_sending(app, client, location):
    soup = _ready_to_send(client, location)
    assert not soup.select("input[name=publish_consent]")
    choose_policy(app, policy.CONSENT)
    response = _send(client, soup)
    assert response.status_code == 200 and b"error-summary" in response.data
    assert _ratings(app) == []


def test_without_a_csrf_token_nothing_is_sent(app, client, location):
    choose_policy(app, policy.CONSENT)
    _ready_to_send(client, location)
    response = client.post("/waardering/versturen", data={"publish_consent": "yes"})
    assert response.status_code == 400
    assert _ratings(app) == []


def test_a_rating_sent_back_for_changes_keeps_its_first_answer(app, client, location):
    """The question belongs to the first sending: the changed rating is not asked again."""
    import re

    from tests.factories import make_editor
    from tests.rating_form.helpers import confirmation_link, post_form
    from wdp.moderation.workflow import transition
    choose_policy(app, policy.CONSENT)
    _send(client, _ready_to_send(client, location), publish_consent="yes")
    post_form(client, "/bevestig/" + confirmation_link(app, "iemand@voorbeeld.test"), {})
    with app.test_request_context():
        from wdp.rating_form.operations import revise_link
        rating = db.session.scalars(select(Rating)).one()
        transition(rating, "changes_requested", actor_type="editor",
                   actor_id=make_editor().id, message="Haal de naam weg.")
        path = re.sub(r"^https?://[^/]+", "", revise_link(rating))
        db.session.commit()
    client.delete_cookie("wdp_draft")
    post_form(client, path, {})
    soup = get(client, "/waardering/controle")
    assert not soup.select("input[name=publish_consent]")
    assert _send(client, soup).headers["Location"] == "/waardering/verstuurd"
    assert _ratings(app) == [("in_moderation", True)]
