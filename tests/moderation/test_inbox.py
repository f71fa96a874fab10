"""The editors' inbox: queues, "Volgende" and reservations, the item page, its flags and history."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.editors.helpers import get, make_editor, sign_in_fully
from tests.factories import make_location, make_rating
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.moderation.models import RatingVersion
from wdp.moderation.workflow import transition
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Theme

EMAIL = "iemand@voorbeeld.test"


def add_waiting(app, clock, *, sector="ouderenzorg", location=None, minutes_ago=60,
                email=EMAIL, text="Fijne plek.", role="self", language="nl", answers=True,
                reference=None):
    """A confirmed rating waiting for the editors; returns its id."""
    with app.app_context():
        if location is None:
            location = make_location(sector=sector)
        elif isinstance(location, int):
            from wdp.locations.models import Location
            location = db.session.get(Location, location)
        rating = make_rating(location, status="in_moderation", text=text, role=role,
                             email=email)
        rating.language = language
        rating.confirmed_at = clock.now - timedelta(minutes=minutes_ago)
        rating.submitted_at = rating.confirmed_at - timedelta(minutes=5)
        rating.reference = reference or f"W-T{rating.id:05d}"
        if answers:
            themes = db.session.scalars(select(Theme).where(
                Theme.sector_id == location.sector_id, Theme.is_current)
                .order_by(Theme.position)).all()
            for n, theme in enumerate(themes):
                rating.answers.append(RatingAnswer(
                    theme_id=theme.id, score=None if n == 2 else 1 + n % 5,
                    text=f"Antwoord {n}."))
        db.session.commit()
        return rating.id


def location_of(app, rating_id):
    with app.app_context():
        return db.session.get(Rating, rating_id).location_id


def press_next(client, sector=None):
    soup = get(client, "/redactie/inbox")
    token = soup.select_one("input[name=csrf_token]")["value"]
    data = {"csrf_token": token}
    if sector:
        data["sector"] = sector
    return client.post("/redactie/inbox/volgende", data=data)


def reserved_by(app, rating_id):
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        return rating.reserved_by_id, rating.reserved_until


# -- who may come in ------------------------------------------------------------------------

@pytest.mark.parametrize("method,url", [
    ("get", "/redactie/inbox"), ("get", "/redactie/inbox/1"),
    ("post", "/redactie/inbox/volgende"), ("post", "/redactie/inbox/1")])
def test_every_inbox_route_sends_anonymous_people_to_sign_in(app, client, method, url):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = getattr(client, method)(url, data={"decision": "approved"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/redactie/aanmelden")


def test_the_start_page_links_to_the_inbox(signed_in):
    soup = get(signed_in, "/redactie/")
    assert soup.select_one("a[href='/redactie/inbox']")


# -- queues ---------------------------------------------------------------------------------

def test_the_overview_counts_per_sector_and_shows_the_oldest(app, signed_in, clock):
    add_waiting(app, clock, minutes_ago=60 * 50)
    add_waiting(app, clock, minutes_ago=30)
    add_waiting(app, clock, sector="kinderopvang", minutes_ago=90)
    with app.app_context():  # not waiting: not counted
        make_rating(make_location(), status="approved")
        db.session.commit()
    soup = checked_page(signed_in, "/redactie/inbox")
    assert soup.h1.get_text(strip=True) == "Inbox van de redactie"
    elder = soup.select_one("#queue-ouderenzorg")
    assert elder.select_one(".queue-count").get_text(strip=True) == "2 waarderingen wachten"
    assert "2 dagen" in elder.select_one(".queue-age").get_text()
    assert "28/02/2026 08:00" in elder.select_one(".queue-age").get_text()
    child = soup.select_one("#queue-kinderopvang")
    assert child.select_one(".queue-count").get_text(strip=True) == "1 waardering wacht"
    assert "2 uur" in child.select_one(".queue-age").get_text()
    assert soup.select_one("#queue-handicap .queue-count").get_text(strip=True) == (
        "0 waarderingen wachten")
    assert not soup.select("#queue-handicap button")
    assert "3 waarderingen wachten" in soup.main.get_text()
    assert EMAIL not in soup.decode()


def test_next_opens_the_oldest_and_reserves_it_for_ten_minutes(app, signed_in, clock, editor):
    newer = add_waiting(app, clock, minutes_ago=10)
    older = add_waiting(app, clock, minutes_ago=100)
    response = press_next(signed_in)
    assert response.headers["Location"] == f"/redactie/inbox/{older}"
    assert reserved_by(app, older) == (editor[0], clock.now + timedelta(minutes=10))
    assert reserved_by(app, newer) == (None, None)
    soup = checked_page(signed_in, f"/redactie/inbox/{older}")
    assert "Open bij jou tot 10:10." in soup.select_one(".reservation").get_text()
    # Pressing again gives the editor the item they already hold.
    assert press_next(signed_in).headers["Location"] == f"/redactie/inbox/{older}"


def test_two_editors_get_different_items_until_the_reservation_expires(app, clock, editor):
    first = add_waiting(app, clock, minutes_ago=100)
    second = add_waiting(app, clock, minutes_ago=50)
    bert_id, bert_secret = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    anna, bert = app.test_client(), app.test_client()
    sign_in_fully(anna, clock, editor[1])
    sign_in_fully(bert, clock, bert_secret, email="bert@redactie.test")
    assert press_next(anna).headers["Location"] == f"/redactie/inbox/{first}"
    assert press_next(bert).headers["Location"] == f"/redactie/inbox/{second}"
    soup = checked_page(bert, f"/redactie/inbox/{first}")
    assert "Open bij Anna Peeters tot 10:10." in soup.select_one(".reservation").get_text()
    # Nothing else is free for a third press.
    response = press_next(bert)
    assert response.headers["Location"] == f"/redactie/inbox/{second}"
    clock.advance(minutes=11)
    assert press_next(bert).headers["Location"] == f"/redactie/inbox/{first}"
    assert reserved_by(app, first)[0] == bert_id
    # Bert holds one item at a time: the one he skipped is free again.
    assert reserved_by(app, second) == (None, None)


def test_next_per_sector_and_an_empty_queue(app, signed_in, clock):
    elder = add_waiting(app, clock, minutes_ago=100)
    child = add_waiting(app, clock, sector="kinderopvang", minutes_ago=10)
    assert press_next(signed_in, "kinderopvang").headers["Location"] == (
        f"/redactie/inbox/{child}")
    assert press_next(signed_in, "ouderenzorg").headers["Location"] == (
        f"/redactie/inbox/{elder}")
    response = press_next(signed_in, "handicap")
    assert response.headers["Location"] == "/redactie/inbox"
    soup = checked_page(signed_in, "/redactie/inbox")
    assert "Er wacht nu niets in Personen met een handicap." in soup.select_one(
        "[role=status]").get_text()
    assert press_next(signed_in, "bestaat-niet").status_code == 404


def test_next_without_a_token_is_refused(app, signed_in, clock):
    add_waiting(app, clock)
    assert signed_in.post("/redactie/inbox/volgende").status_code == 400


# -- the item page --------------------------------------------------------------------------

def test_the_item_page_shows_the_whole_rating(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Goed verzorgd.\nLekker eten.", role="family")
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    page = soup.main.get_text(" ", strip=True)
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        location = rating.location
        assert soup.h1.get_text(strip=True) == f"Waardering {rating.reference}"
        assert location.name in page and "Ouderenzorg" in page
        kind = location.kind.slug
        assert soup.select_one(f"a[href='/ouderenzorg/locatie/{location.id}']")
        themes = [answer.theme for answer in rating.answers]
    from wdp.sectors.catalog import KIND_BY_SLUG
    with app.test_request_context():
        assert str(KIND_BY_SLUG[kind].label) in page
    assert soup.select_one(".rating-role").get_text(strip=True) == "Ik ben familie of mantelzorger"
    assert soup.select_one(".rating-email").get_text(strip=True) == EMAIL
    assert "2/03/2026 08:55" in page and "2/03/2026 09:00" in page  # submitted, confirmed
    answers = soup.select(".answer")
    assert len(answers) == 8
    # The question as asked of a family member, not of the user.
    assert themes[0].question_other_nl in answers[0].get_text()
    assert themes[0].title_nl in answers[0].h3.get_text()
    assert answers[0].select_one(".answer-score").get_text(strip=True) == "Heel slecht (1/5)"
    assert answers[2].select_one(".answer-score").get_text(strip=True) == (
        "Ik weet het niet of het past niet")
    assert "Antwoord 0." in answers[0].get_text()
    assert soup.select_one(".overall-score").get_text(strip=True) == "Goed (4/5)"
    assert "Lekker eten." in page
    assert "Geen aandachtspunten gevonden." in page
    history = [li.get_text(" ", strip=True) for li in soup.select(".history-event")]
    assert len(history) == 3 and "systeem" in history[0]
    assert "Verstuurd, e-mail nog niet bevestigd → Wacht op de redactie" in history[2]
    assert len(soup.select("main form[method=post]")) == 4


def test_the_question_speaks_to_the_user_when_they_wrote_it(app, signed_in, clock):
    rating_id = add_waiting(app, clock, role="self")
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    with app.app_context():
        theme = db.session.get(Rating, rating_id).answers[0].theme
        assert theme.question_self_nl in soup.select_one(".answer").get_text()


def test_an_unknown_or_draft_rating_is_a_404_page(app, signed_in, clock):
    soup = checked_page(signed_in, "/redactie/inbox/999999", status=404)
    assert soup.h1
    with app.app_context():
        draft = Rating(location=make_location(), role="self", overall_score=3)
        db.session.add(draft)
        transition(draft, "draft", actor_type="submitter")
        db.session.commit()
        draft_id = draft.id
    checked_page(signed_in, f"/redactie/inbox/{draft_id}", status=404)


def test_a_decided_rating_shows_no_decisions(app, signed_in, clock):
    with app.app_context():
        rating = make_rating(make_location(), status="rejected")
        db.session.commit()
        rating_id = rating.id
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    assert not soup.select("main form[method=post]")
    assert soup.select_one(".rating-status").get_text(strip=True) == "Afgewezen"


# -- flags ----------------------------------------------------------------------------------

def flags_of(client, rating_id):
    soup = checked_page(client, f"/redactie/inbox/{rating_id}")
    return soup, {li["class"][0] for li in soup.select("ul.flags > li")}


def test_a_repeat_of_the_same_address_at_the_same_location_links_to_the_others(
        app, signed_in, clock):
    first = add_waiting(app, clock, minutes_ago=60 * 24 * 30, email="Iemand@Voorbeeld.test")
    location_id = location_of(app, first)
    second = add_waiting(app, clock, location=location_id, minutes_ago=10)
    elsewhere = add_waiting(app, clock, minutes_ago=5)  # same address, other location
    soup, found = flags_of(signed_in, second)
    assert "flag-repeat" in found
    links = [a["href"] for a in soup.select(".flag-repeat a")]
    assert links == [f"/redactie/inbox/{first}"]
    assert f"/redactie/inbox/{elsewhere}" not in links


def test_repeat_of_id_alone_is_shown_too(app, signed_in, clock):
    old = add_waiting(app, clock, minutes_ago=60 * 24 * 400, email="ander@voorbeeld.test")
    new = add_waiting(app, clock, location=location_of(app, old), minutes_ago=10)
    with app.app_context():
        db.session.get(Rating, new).repeat_of_id = old
        db.session.commit()
    soup, found = flags_of(signed_in, new)
    assert [a["href"] for a in soup.select(".flag-repeat a")] == [f"/redactie/inbox/{old}"]


def test_an_address_used_for_many_ratings_shows_count_and_roles(app, signed_in, clock):
    add_waiting(app, clock, role="supporter", email="steun@voorbeeld.test")
    add_waiting(app, clock, role="family", email="steun@voorbeeld.test")
    third = add_waiting(app, clock, role="supporter", email="steun@voorbeeld.test")
    soup, found = flags_of(signed_in, third)
    text = soup.select_one(".flag-address").get_text(" ", strip=True)
    assert "3 waarderingen" in text
    assert "ik ben familie of mantelzorger" in text
    assert "ik help iemand om dit in te vullen" in text
    two = add_waiting(app, clock, email="twee@voorbeeld.test")
    add_waiting(app, clock, email="twee@voorbeeld.test")
    assert "flag-address" not in flags_of(signed_in, two)[1]


def test_a_burst_of_ratings_for_one_location(app, signed_in, clock):
    first = add_waiting(app, clock, minutes_ago=60, email="a1@voorbeeld.test")
    location_id = location_of(app, first)
    for n in range(3):
        add_waiting(app, clock, location=location_id, minutes_ago=60 * (n + 2),
                    email=f"b{n}@voorbeeld.test")
    assert "flag-burst" not in flags_of(signed_in, first)[1]
    add_waiting(app, clock, location=location_id, minutes_ago=60 * 20, email="c@voorbeeld.test")
    add_waiting(app, clock, location=location_id, minutes_ago=60 * 30, email="d@voorbeeld.test")
    soup, found = flags_of(signed_in, first)
    assert "5 waarderingen binnen 24 uur" in soup.select_one(".flag-burst").get_text()


@pytest.mark.parametrize("text,kind,marked", [
    ("We spraken met verpleegster Els van Dam over het eten.", "name", "Els van Dam"),
    ("Bel me op 0470 12 34 56 als het kan.", "phone", "0470 12 34 56"),
    ("Mijn adres is jan.peeters@voorbeeld.test voor vragen.", "email",
     "jan.peeters@voorbeeld.test"),
    ("Zie ook www.mijnblog.be voor meer.", "url", "www.mijnblog.be"),
])
def test_text_that_looks_like_personal_data_is_flagged_and_marked(
        app, signed_in, clock, text, kind, marked):
    rating_id = add_waiting(app, clock, text=text)
    soup, found = flags_of(signed_in, rating_id)
    assert "flag-text" in found
    assert [m.get_text() for m in soup.select(f"mark.flag-{kind}")] == [marked]


def test_plain_text_is_not_flagged_and_is_escaped_before_marking(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Het eten is goed. Op 12.03.2024 was er feest.")
    assert "flag-text" not in flags_of(signed_in, rating_id)[1]
    rating_id = add_waiting(app, clock, text="<script>x</script> met Jan Peeters")
    response = signed_in.get(f"/redactie/inbox/{rating_id}")
    assert b"<script>x</script>" not in response.data
    assert b'&lt;script&gt;x&lt;/script&gt; met <mark class="flag-name">Jan Peeters</mark>' in (
        response.data)


def test_the_location_name_is_no_person(app, signed_in, clock):
    with app.app_context():
        location_id = make_location(name="Huize Zonneweelde").id
        db.session.commit()
    rating_id = add_waiting(app, clock, location=location_id,
                            text="Ik woon graag in Huize Zonneweelde.", answers=False)
    assert "flag-text" not in flags_of(signed_in, rating_id)[1]


# -- history and versions -------------------------------------------------------------------

def test_the_history_shows_who_when_what_and_why(app, signed_in, clock, editor):
    with app.app_context():
        rating = make_rating(make_location(), status="in_moderation")
        transition(rating, "changes_requested", actor_type="editor", actor_id=editor[0],
                   message="Laat de naam weg.")
        transition(rating, "in_moderation", actor_type="submitter")
        transition(rating, "rejected", actor_type="editor", actor_id=editor[0],
                   reasons=("anonymity", "staff"), message="Helaas.")
        db.session.commit()
        rating_id = rating.id
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    events = [li.get_text(" ", strip=True) for li in soup.select(".history-event")]
    assert len(events) == 6
    assert "Anna Peeters" in events[3] and "Laat de naam weg." in events[3]
    assert "indiener" in events[4]
    assert "Wacht op de redactie → Afgewezen" in events[5]
    assert "De schrijver of de gebruiker is te herkennen." in events[5]
    assert "Ze valt medewerkers persoonlijk aan of noemt hen bij naam." in events[5]


def test_a_resubmitted_rating_shows_what_changed(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Nieuwe tekst.")
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        answers = {str(a.theme_id): {"score": a.score, "text": a.text} for a in rating.answers}
        first = rating.answers[0]
        answers[str(first.theme_id)] = {"score": 5, "text": "Oude tekst bij het thema."}
        db.session.add(RatingVersion(rating_id=rating_id, number=1, snapshot={
            "role": "family", "overall_score": 2, "experience_text": "Oude tekst.",
            "answers": answers}))
        db.session.commit()
        title = first.theme.title_nl
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    changes = [li.get_text(" ", strip=True) for li in soup.select(".changes li")]
    assert len(changes) == 5
    assert any(c.startswith("Wie") and "Ik ben familie" in c and "Ik krijg hier zelf zorg" in c
               for c in changes)
    assert any("Slecht (2/5)" in c and "Goed (4/5)" in c for c in changes)
    assert any("Oude tekst." in c and "Nieuwe tekst." in c for c in changes)
    assert any(c.startswith(f"{title}, score") for c in changes)
    assert any(c.startswith(f"{title}, tekst") and "Oude tekst bij het thema." in c
               for c in changes)


def test_no_change_list_without_versions(app, signed_in, clock):
    rating_id = add_waiting(app, clock)
    soup = checked_page(signed_in, f"/redactie/inbox/{rating_id}")
    assert not soup.select(".changes") and "Wat veranderde" not in soup.get_text()

