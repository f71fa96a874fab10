"""The rating form through the test client: every step, every error, every state change."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_location
from tests.rating_form.helpers import (
    THEME_STEPS,
    answer,
    confirmation_link,
    fill_all,
    get,
    post_form,
    start,
    submit,
)
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.mail.outbox import rendered
from wdp.moderation.models import RatingEvent
from wdp.rating_form.models import Draft, FormStepCount, Rating


@pytest.fixture
def location(app):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        db.session.commit()
        db.session.refresh(location)
        db.session.expunge(location)
        return location


def test_start_page_explains_and_has_a_start_button(client, location):
    soup = get(client, f"/w/{location.code}")
    text = soup.get_text(" ")
    for phrase in ("ongeveer 5 minuten", "anoniem", "De redactie leest je waardering eerst",
                   "Jij kiest of je waardering online komt"):
        assert phrase in text
    assert soup.select_one(".notice a")["href"].startswith("https://")
    assert soup.select_one("main form button").get_text(strip=True) == "Begin"


def test_each_step_has_back_link_progress_stop_and_help(client, location):
    start(client, location)
    soup = get(client, "/waardering/rol")
    assert soup.title.get_text().startswith("Vraag 1 van 12: Wie ben jij?")
    assert soup.select_one("legend h1").get_text(strip=True) == "Wie ben jij?"
    assert soup.select_one(".back-link")["href"] == f"/w/{location.code}"
    assert "Vraag 1 van 12" in soup.select_one(".progress").get_text()
    assert soup.select_one("a.button-secondary")["href"] == "/waardering/stoppen?stap=rol"
    assert soup.select_one("a.help-link")["href"] == "/contact"
    assert not soup.select("input[checked]"), "no radio is preselected"


def test_roles_fit_the_sector(client, app):
    with app.app_context():
        childcare = make_location(sector="kinderopvang")
        youth = make_location(sector="jeugdhulp")
        db.session.commit()
        codes = childcare.code, youth.code
    start(client, type("L", (), {"code": codes[0]}))
    values = [i["value"] for i in get(client, "/waardering/rol").select("input[name=role]")]
    assert "self" not in values and values[0] == "parent"
    start(client, type("L", (), {"code": codes[1]}))
    labels = [lab.get_text(strip=True) for lab in get(client, "/waardering/rol").select(
        "fieldset label")]
    assert labels[0] == "Ik krijg hier zelf hulp"


def test_theme_page_uses_the_themes_wording_for_self_and_for_a_supporter(client, app, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    soup = get(client, "/waardering/thema-1")
    assert soup.select_one("legend h1").get_text(strip=True) == (
        "Krijg je de zorg op het moment dat je die nodig hebt?")
    assert soup.title.get_text().startswith("Vraag 2 van 12: Krijg je de zorg")
    words = [lab.get_text(" ", strip=True) for lab in soup.select(".scale label")]
    assert words == ["Heel goed", "Goed", "Gaat wel", "Slecht", "Heel slecht",
                     "Ik weet het niet of het past niet"]
    assert all(img["alt"] == "" for img in soup.select(".scale label img"))
    assert "500 tekens" in soup.select_one("#text-hint").get_text()
    answer(client, "rol", {"role": "supporter"})
    soup = get(client, "/waardering/thema-1")
    assert soup.select_one("legend h1").get_text(strip=True) == (
        "Krijgt hij of zij de zorg op het moment dat dat nodig is?")
    assert "Schrijf op wat die persoon je vertelt" in soup.select_one(".inset").get_text()


def test_whole_journey_to_moderation(client, app, location):
    start(client, location)
    assert fill_all(client) == "/waardering/controle"
    soup = get(client, "/waardering/controle")
    rows = {row.dt.get_text(strip=True): row for row in soup.select(".summary-row")}
    assert "Ik krijg hier zelf zorg" in rows["Wie ben jij?"].get_text()
    assert "Heel goed" in rows["Zorg op tijd"].get_text()
    assert "Ik weet het niet" in rows["Luisteren en mee beslissen"].get_text()
    assert "De kamer is klein." in rows["Je ervaring"].get_text()
    change = rows["Eten en drinken"].select_one("a")
    assert change["href"] == "/waardering/thema-5?terug=controle"
    assert change.select_one(".visually-hidden").get_text(strip=True) == (
        "je antwoord over: eten en drinken")
    response = submit(client)
    assert response.headers["Location"] == "/waardering/verstuurd"
    soup = get(client, "/waardering/verstuurd")
    assert "i***@v***.test" in soup.get_text()
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert rating.status == "submitted" and rating.reference.startswith("W-")
        assert rating.email == "iemand@voorbeeld.test" and rating.language == "nl"
        assert [a.score for a in sorted(rating.answers, key=lambda a: a.theme_id)] == [
            5, 4, None, 3, 5, 2, 1, 4]
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert rating.reference in rendered(mail).subject and mail.template == "confirm_rating"
        reference = rating.reference
    token = confirmation_link(app, "iemand@voorbeeld.test")
    # Opening the link (as a mail scanner would) changes nothing.
    page = get(client, f"/bevestig/{token}")
    assert page.select_one("main form button").get_text(strip=True) == "Bevestig"
    client.head(f"/bevestig/{token}")
    with app.app_context():
        assert db.session.scalars(select(Rating)).one().status == "submitted"
    response = post_form(client, f"/bevestig/{token}", {})
    assert response.status_code == 302 and response.headers["Location"] == "/bevestigd"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    soup = get(client, "/bevestigd")
    assert reference in soup.get_text()
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert rating.status == "in_moderation" and rating.confirmed_at
        moves = db.session.execute(select(RatingEvent.from_status, RatingEvent.to_status)
                                   .order_by(RatingEvent.id)).all()
        assert moves == [(None, "draft"), ("draft", "submitted"), ("submitted", "in_moderation")]


def test_confirming_twice_is_friendly_and_changes_nothing(client, app, location):
    start(client, location)
    fill_all(client)
    submit(client)
    token = confirmation_link(app, "iemand@voorbeeld.test")
    post_form(client, f"/bevestig/{token}", {})
    soup = get(client, f"/bevestig/{token}", status=410)
    assert soup.h1.get_text(strip=True) == "Je hebt je waardering al bevestigd"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatingEvent)) == 3


@pytest.mark.parametrize("token", ["forged", "x" * 43, "a" * 500])
def test_a_forged_link_is_explained(client, token):
    soup = get(client, f"/bevestig/{token}", status=410)
    assert soup.h1.get_text(strip=True) == "Deze link kennen we niet"


def test_an_expired_link_is_explained_and_the_rating_erased(client, app, location):
    start(client, location)
    fill_all(client)
    submit(client)
    token = confirmation_link(app, "iemand@voorbeeld.test")
    app.config["WDP_NOW"] = (datetime.now() + timedelta(days=8)).isoformat()
    soup = get(client, f"/bevestig/{token}", status=410)
    assert soup.h1.get_text(strip=True) == "Deze link werkt niet meer"
    with app.app_context():
        from wdp.jobs import run_jobs
        assert run_jobs()["expired unconfirmed ratings"] == 1
        rating = db.session.scalars(select(Rating)).one()
        assert rating.status == "expired" and rating.email is None
        assert rating.experience_text == "" and all(a.text == "" for a in rating.answers)
        assert rating.personal_data_erased_at is not None
        assert run_jobs()["expired unconfirmed ratings"] == 0
        # the draft outlived its 7 days too
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_correcting_the_address_sends_a_new_link_and_kills_the_old(client, app, location):
    start(client, location)
    fill_all(client, email="fout@voorbeeld.test")
    submit(client)
    old = confirmation_link(app, "fout@voorbeeld.test")
    response = client.post("/waardering/ander-adres", data={
        "csrf_token": get(client, "/waardering/verstuurd").select_one(
            "input[name=csrf_token]")["value"], "email": "juist@voorbeeld.test"})
    assert response.headers["Location"] == "/waardering/verstuurd?opnieuw=ja"
    assert "j***@v***.test" in get(client, "/waardering/verstuurd").get_text()
    get(client, f"/bevestig/{old}", status=410)
    new = confirmation_link(app, "juist@voorbeeld.test")
    assert post_form(client, f"/bevestig/{new}", {}).status_code == 302


def test_a_bad_corrected_address_keeps_the_input_and_says_why(client, location):
    start(client, location)
    fill_all(client)
    submit(client)
    soup = get(client, "/waardering/verstuurd")
    response = client.post("/waardering/ander-adres", data={
        "csrf_token": soup.select_one("input[name=csrf_token]")["value"], "email": "geen-adres"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "naam@voorbeeld.be" in page
    assert 'value="geen-adres"' in page


def test_resending_is_limited_per_rating(client, app, location):
    start(client, location)
    fill_all(client)
    submit(client)
    locations = []
    for _ in range(6):
        response = post_form(client, "/waardering/verstuurd", {})
        locations.append(response.headers["Location"])
    assert locations[:4] == ["/waardering/verstuurd?opnieuw=ja"] * 4
    assert locations[4:] == ["/waardering/verstuurd?opnieuw=te-vaak"] * 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


def test_double_submit_creates_one_rating(client, app, location):
    start(client, location)
    fill_all(client)
    soup = get(client, "/waardering/controle")
    token = soup.select_one("input[name=csrf_token]")["value"]
    first = client.post("/waardering/versturen", data={"csrf_token": token})
    second = client.post("/waardering/versturen", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"] == "/waardering/verstuurd"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 1


def test_changing_an_answer_from_the_check_page_returns_there(client, location):
    start(client, location)
    fill_all(client)
    soup = get(client, "/waardering/thema-5?terug=controle")
    assert soup.select_one(".back-link")["href"] == "/waardering/controle"
    assert soup.select_one("input[name=score][checked]")["value"] == "5"
    assert answer(client, "thema-5?terug=controle", {"score": "1"}) == "/waardering/controle"
    rows = {r.dt.get_text(strip=True): r for r in get(client, "/waardering/controle").select(
        ".summary-row")}
    assert "Heel slecht" in rows["Eten en drinken"].get_text()


def test_steps_out_of_order_go_to_the_first_unanswered_question(client, location):
    start(client, location)
    assert client.get("/waardering/thema-3").headers["Location"] == "/waardering/rol"
    answer(client, "rol", {"role": "self"})
    assert client.get("/waardering/controle").headers["Location"] == "/waardering/thema-1"
    token = get(client, "/waardering/rol").select_one("input[name=csrf_token]")["value"]
    response = client.post("/waardering/email", data={"csrf_token": token})
    assert response.headers["Location"] == "/waardering/thema-1"
    response = client.post("/waardering/versturen", data={"csrf_token": token})
    assert response.headers["Location"] == "/waardering/thema-1"


def test_a_post_without_csrf_token_is_refused_kindly(client, location):
    start(client, location)
    soup = get(client, "/waardering/rol")
    response = client.post("/waardering/rol", data={"role": "self"})
    assert response.status_code == 400
    assert "probeer het nog eens" in response.get_data(as_text=True)
    assert soup.select_one("input[name=csrf_token]")


def test_without_a_draft_a_friendly_page(client):
    soup = get(client, "/waardering/rol", status=404)
    assert soup.h1.get_text(strip=True) == "We vinden je antwoorden niet meer"
    client.set_cookie("wdp_draft", "vervalst")
    get(client, "/waardering/thema-2", status=404)
    get(client, "/waardering/bestaat-niet", status=404)


@pytest.mark.parametrize("step,data,field,message", [
    ("rol", {}, "role", "Kies wie je bent."),
    ("rol", {"role": "koning"}, "role", "Kies wie je bent."),
    ("thema-1", {}, "score", "Kies een antwoord."),
    ("thema-1", {"score": "9"}, "score", "Kies een van de antwoorden."),
    ("thema-1", {"score": "-1"}, "score", "Kies een van de antwoorden."),
    ("thema-1", {"score": "4", "text": "x" * 501}, "text",
     "Gebruik maximaal 500 tekens. Je hebt er nu 501."),
    ("thema-1", {"score": "4", "text": "x" * 499 + "\x00\x01" + "yy"}, "text",
     "Gebruik maximaal 500 tekens. Je hebt er nu 501."),
])
def test_bad_answers_get_a_message_at_the_field_and_in_the_summary(client, location, step,
                                                                   data, field, message):
    start(client, location)
    if step != "rol":
        answer(client, "rol", {"role": "self"})
    response = post_form(client, f"/waardering/{step}", data)
    assert response.status_code == 200
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.title.get_text().startswith("Fout: Vraag")
    summary = soup.select_one(".error-summary")
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.find_previous("h1") is None, "the summary comes before the h1"
    link = summary.select_one("a")
    assert message in link.get_text()
    target = soup.select_one(link["href"])
    assert target is not None and target.get("name") == field
    error = soup.select_one(".field-error")
    assert error.select_one(".visually-hidden").get_text() == "Fout:"
    if "text" in data:
        assert soup.select_one("textarea").get_text() == data["text"].replace(
            "\x00", "").replace("\x01", "")


def test_text_with_html_is_kept_as_plain_text_and_escaped(client, app, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    answer(client, "thema-1", {"score": "3", "text": "<script>alert(1)</script> & <b>vet</b>"})
    html = client.get("/waardering/thema-1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html


@pytest.mark.parametrize("email,message", [
    ("", "Vul je e-mailadres in."),
    ("   ", "Vul je e-mailadres in."),
    ("geen-adres", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ("a@b", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ("x" * 250 + "@voorbeeld.test", "te lang"),
    ("iemand@mailinator.com", "wegwerpadres"),
])
def test_bad_email_addresses(client, location, email, message):
    start(client, location)
    fill_all(client)
    response = post_form(client, "/waardering/email", {"email": email, "agree": "y"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert f'value="{email}"' in response.get_data(as_text=True) or not email.strip()


def test_agreement_is_needed(client, location):
    start(client, location)
    fill_all(client)
    response = post_form(client, "/waardering/email", {"email": "iemand@voorbeeld.test"})
    assert "Zet een vinkje" in response.get_data(as_text=True)


def test_honeypot_drops_the_draft_without_mail(client, app, location):
    start(client, location)
    fill_all(client)
    response = post_form(client, "/waardering/email", {
        "email": "robot@voorbeeld.test", "agree": "y", "website": "http://spam.test"})
    assert response.headers["Location"] == "/waardering/gestopt"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_invisible_control_characters_are_dropped_not_refused(client, app, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    answer(client, "thema-1", {"score": "4", "text": "  Goed\x00 \x0beten\r\nen drinken  "})
    with app.app_context():
        saved = db.session.scalars(select(Draft)).one().answers["care_on_time"]["text"]
    assert saved == "Goed eten\nen drinken"


def test_whitespace_only_text_counts_as_empty(client, app, location):
    start(client, location)
    fill_all(client)
    answer(client, "ervaring", {"text": "   \n  "})
    rows = {r.dt.get_text(strip=True): r for r in get(client, "/waardering/controle").select(
        ".summary-row")}
    assert "Niet ingevuld" in rows["Je ervaring"].get_text()


def test_a_slow_person_is_never_refused(client, app, location, monkeypatch):
    import time
    start(client, location)
    answer(client, "rol", {"role": "self"})
    soup = get(client, "/waardering/thema-1")
    # Flask-WTF reads the real clock for its CSRF tokens: move that clock too.
    later = time.time() + 2 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    app.config["WDP_NOW"] = (datetime.now() + timedelta(hours=2)).isoformat()
    response = client.post("/waardering/thema-1", data={
        "csrf_token": soup.select_one("input[name=csrf_token]")["value"], "score": "4"})
    assert response.status_code == 302 and response.headers["Location"] == "/waardering/thema-2"


def test_leaving_and_coming_back_keeps_the_answers(client, location):
    start(client, location)
    answer(client, "rol", {"role": "family"})
    answer(client, "thema-1", {"score": "2"})
    soup = get(client, f"/w/{location.code}")
    resume = soup.select_one("main a.button")
    assert resume.get_text(strip=True) == "Ga verder waar je was"
    assert not soup.select("main form button"), "no one-click Begin that wipes the answers"
    assert client.get(resume["href"]).headers["Location"] == "/waardering/thema-2"
    assert get(client, "/waardering/thema-1").select_one("input[checked]")["value"] == "2"


def test_starting_elsewhere_warns_and_counts_the_old_draft_as_stopped(client, app, location):
    with app.app_context():
        other = make_location(name="WZC Ander Huis")
        db.session.commit()
        other_code = other.code
    start(client, location)
    answer(client, "rol", {"role": "self"})
    soup = get(client, f"/w/{other_code}")
    assert "Je was al begonnen aan een waardering over WZC De Linde." in soup.get_text(" ")
    post_form(client, f"/w/{other_code}", {})
    with app.app_context():
        drafts = db.session.scalars(select(Draft)).all()
        assert [d.location.name for d in drafts] == ["WZC Ander Huis"]
        assert db.session.scalar(select(FormStepCount.stops).where(
            FormStepCount.step == "thema-1")) == 1


def test_a_draft_expires_after_its_days(client, app, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    app.config["WDP_NOW"] = (datetime.now() + timedelta(days=7, minutes=1)).isoformat()
    get(client, "/waardering/thema-1", status=404)
    with app.app_context():
        from wdp.jobs import run_jobs
        assert run_jobs()["deleted expired drafts"] == 1


def test_stopping_asks_once_deletes_and_is_counted(client, app, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    soup = get(client, "/waardering/stoppen?stap=thema-1")
    assert soup.h1.get_text(strip=True) == "Wil je echt stoppen?"
    assert soup.select_one("a.button-secondary")["href"] == "/waardering/thema-1"
    response = post_form(client, "/waardering/stoppen?stap=thema-1", {})
    assert response.headers["Location"] == "/waardering/gestopt"
    assert "wdp_draft=;" in response.headers["Set-Cookie"]
    get(client, "/waardering/gestopt")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
        stops = db.session.execute(select(FormStepCount.step, FormStepCount.stops)
                                   .where(FormStepCount.stops > 0)).all()
        assert stops == [("thema-1", 1)]


def test_step_counts_are_anonymous_per_sector_and_step(client, app, location):
    start(client, location)
    get(client, "/waardering/rol")
    get(client, "/waardering/rol")
    answer(client, "rol", {"role": "self"})
    with app.app_context():
        row = db.session.scalars(select(FormStepCount).where(FormStepCount.step == "rol")).one()
        assert (row.views, row.completions, row.stops) == (3, 1, 0)  # answer() GETs once more
        columns = set(FormStepCount.__table__.columns.keys())
        assert columns == {"id", "sector_id", "step", "day", "views", "completions", "stops"}


def test_the_rating_remembers_its_language(client, app, location):
    client.get("/taal/fr?next=/")
    start(client, location)
    fill_all(client)
    submit(client)
    with app.app_context():
        assert db.session.scalars(select(Rating)).one().language == "fr"
        assert db.session.scalars(select(OutboxMessage)).one().language == "fr"


def test_repeat_rating_is_flagged_not_blocked(client, app, location):
    for _ in range(2):
        client.delete_cookie("wdp_draft")
        start(client, location)
        fill_all(client, email="Zelfde@Voorbeeld.test")
        submit(client)
        post_form(client, f"/bevestig/{confirmation_link(app, 'zelfde@voorbeeld.test')}", {})
    with app.app_context():
        first, second = db.session.scalars(select(Rating).order_by(Rating.id)).all()
        assert first.status == second.status == "in_moderation"
        assert first.repeat_of_id is None and second.repeat_of_id == first.id


def test_rate_limit_on_starting_drafts(client, app, location):
    from wdp.extensions import limiter
    limiter.enabled = True
    app.config["WDP_RATELIMIT_FORM_START"] = "2 per hour"
    try:
        # fresh browsers, one address: the limit is per IP
        codes = [post_form(app.test_client(), f"/w/{location.code}", {}).status_code
                 for _ in range(3)]
    finally:
        limiter.enabled = False
        app.config["WDP_RATELIMIT_FORM_START"] = "30 per hour"
        limiter.reset()
    assert codes == [302, 302, 429]


def test_all_theme_steps_exist(client, location):
    start(client, location)
    answer(client, "rol", {"role": "self"})
    for number, step in enumerate(THEME_STEPS, start=2):
        soup = get(client, f"/waardering/{step}")
        assert f"Vraag {number} van 12" in soup.title.get_text()
        answer(client, step, {"score": "3"})


def test_overall_score_has_no_dont_know(client, location):
    start(client, location)
    fill_all(client)
    response = post_form(client, "/waardering/score", {"score": "0"})
    assert response.status_code == 200
    assert "Kies een van de antwoorden." in response.get_data(as_text=True)


def test_a_location_that_stopped_participating_takes_no_more_ratings(client, app, location):
    from datetime import date

    from wdp.locations.models import Location
    from wdp.locations.operations import end_participation
    start(client, location)
    fill_all(client)
    token = get(client, "/waardering/controle").select_one("input[name=csrf_token]")["value"]
    with app.app_context():
        end_participation(db.session.get(Location, location.id), date(2025, 6, 1))
        db.session.commit()
    get(client, f"/w/{location.code}", status=404)
    get(client, "/waardering/controle", status=404)
    response = client.post("/waardering/versturen", data={"csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 0


def test_after_submission_the_draft_keeps_no_answers_and_lives_with_the_link(client, app,
                                                                                location):
    start(client, location)
    fill_all(client)
    response = submit(client)
    assert "Max-Age" not in response.headers["Set-Cookie"], "a browser-session cookie now"
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        rating = db.session.scalars(select(Rating)).one()
        assert draft.answers == {} and draft.email is None and draft.experience_text is None
        assert abs((draft.expires_at - rating.submitted_at) - timedelta(days=7)) < timedelta(
            minutes=1)


def test_submit_race_makes_one_rating(app, location):
    """Two submits of the same draft at the same moment, as two real requests."""
    import threading
    client = app.test_client()
    start(client, location)
    fill_all(client)
    token = get(client, "/waardering/controle").select_one("input[name=csrf_token]")["value"]
    cookies = {c.key: c.value for c in client._cookies.values()}
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        other = app.test_client()
        for key, value in cookies.items():
            other.set_cookie(key, value)
        barrier.wait()
        statuses.append(other.post("/waardering/versturen",
                                   data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        db.session.remove()


def test_confirmation_mail_arrives_over_smtp_and_its_link_works(client, app, location, smtp):
    """The whole loop through the real parts: outbox, sender, SMTP, the link, the button."""
    import re

    from wdp.mail.sender import send_due
    start(client, location)
    fill_all(client, email="echt@voorbeeld.test")
    submit(client)
    with app.app_context():
        send_due()
    [(recipients, mail)] = smtp.received
    assert recipients == ["echt@voorbeeld.test"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    with app.app_context():
        reference = db.session.scalars(select(Rating.reference)).one()
    assert reference in mail["Subject"] and reference in text
    link = re.search(r"http://wdp\.test(/bevestig/\S+)", text).group(1)
    assert link in html
    response = post_form(client, link, {})
    assert response.headers["Location"] == "/bevestigd"
    with app.app_context():
        assert db.session.scalars(select(Rating.status)).one() == "in_moderation"


@pytest.mark.parametrize("code", ["onbekend", "%00", "a%00b", "x" * 40, "ABC"])
def test_a_short_link_with_an_unknown_or_malformed_code_is_a_friendly_404(client, code):
    response = client.get(f"/w/{code}")
    assert response.status_code == 404 and "<h1" in response.get_data(as_text=True)
    # A POST without its form's token is refused before the code is looked at.
    assert client.post(f"/w/{code}").status_code == 400
