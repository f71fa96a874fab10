"""The editors' list of sign-ups: who may see it, open ones first, handling with a note."""
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.pagecheck import check_page, checked_page
from tests.participation.helpers import field_errors, page, post_page, summary
from tests.rating_form.helpers import csrf
from wdp.extensions import db
from wdp.organisations.models import SignUp
from wdp.participation import operations as ops

LIST = "/redactie/beheer/deelname/aanmeldingen"


def add_sign_up(app, organisation, created_at, email="contact@org.test", **fields):
    with app.app_context():
        row = SignUp(organisation=organisation, locations="Locatie A, Gent\nLocatie B, Gent",
                     contact_name="Piet Peeters", email=email, created_at=created_at,
                     **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def sign_ups(app):
    """Two open sign-ups and a handled one: {name: id}."""
    return {
        "newer": add_sign_up(app, "Nieuwe Zorg vzw", datetime(2026, 2, 20, 9, 0),
                             email="nieuw@org.test"),
        "older": add_sign_up(app, "Oude Zorg vzw", datetime(2026, 2, 10, 9, 0),
                             email="oud@org.test", phone="09 111 22 33",
                             message="Bel ons maar."),
        "handled": add_sign_up(app, "Klaar vzw", datetime(2026, 1, 5, 9, 0),
                               email="klaar@org.test", handled_at=datetime(2026, 1, 6, 11, 0),
                               note="Gebeld."),
    }


def test_anonymous_visitors_go_to_sign_in(app, client, sign_ups):
    for url in (LIST, f"{LIST}/{sign_ups['older']}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/redactie/aanmelden")
    # Without a session there is no CSRF token either: refused before anything runs.
    response = client.post(f"{LIST}/{sign_ups['older']}", data={"note": "x"})
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.get(SignUp, sign_ups["older"]).handled_at is None


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_editors_and_admins_see_open_sign_ups_first(request, who, sign_ups):
    client = request.getfixturevalue(who)
    soup = checked_page(client, LIST)
    assert soup.select_one("h1").get_text(strip=True) == "Aanmeldingen van organisaties"
    cards = soup.select("main .location-card")
    assert [c.select_one("h3 a").contents[0].strip() for c in cards] == [
        "Oude Zorg vzw", "Nieuwe Zorg vzw", "Klaar vzw"]
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert headings == ["Nog af te handelen", "Afgehandeld"]
    # The e-mail address is shown here, to editors.
    assert cards[0].select_one("a[href='mailto:oud@org.test']")
    assert "09 111 22 33" in cards[0].get_text()
    # Admins get the way to the agreements.
    agreements = soup.select_one("main a[href='/redactie/beheer/deelname/']")
    assert (agreements is not None) == (who == "admin")


def test_the_start_page_links_to_the_list(editor):
    assert checked_page(editor, "/redactie/").select_one(f"main a[href='{LIST}']")


def test_one_sign_up_shows_everything(editor, sign_ups):
    soup = checked_page(editor, f"{LIST}/{sign_ups['older']}")
    assert soup.select_one("h1").get_text(strip=True) == f"Aanmelding A-{sign_ups['older']}"
    text = soup.select_one("main").get_text(" ", strip=True)
    for part in ("Oude Zorg vzw", "Piet Peeters", "oud@org.test", "09 111 22 33", "Bel ons maar.",
                 "Niet ingevuld"):
        assert part in text, part
    assert [li.get_text() for li in soup.select("main h2 + ul li")] == [
        "Locatie A, Gent", "Locatie B, Gent"]
    assert soup.select_one("main form textarea#note")


def test_handling_records_who_when_and_the_note(app, clock, editor, sign_ups):
    clock.advance(minutes=5)
    url = f"{LIST}/{sign_ups['older']}"
    response = post_page(editor, url, {"note": "Gebeld, overeenkomst gemaild."})
    assert response.status_code == 302 and response.headers["Location"] == LIST
    with app.app_context():
        row = db.session.get(SignUp, sign_ups["older"])
        assert row.handled_at == datetime(2026, 3, 2, 10, 5)
        assert row.handled_by_id == editor.editor_id
        assert row.note == "Gebeld, overeenkomst gemaild."
    soup = checked_page(editor, LIST)
    assert f"De aanmelding A-{sign_ups['older']} is afgehandeld." in soup.select_one(
        ".notice").get_text()
    handled = soup.select("main h2")[1].find_next("ul").select(".location-card")
    assert "Oude Zorg vzw" in handled[0].get_text()
    assert "Afgehandeld door Test editor op 2/03/2026 10:05" in handled[0].get_text(" ", strip=True)
    item = checked_page(editor, url)
    assert "Gebeld, overeenkomst gemaild." in item.get_text()
    assert not item.select("main form textarea")


def test_an_empty_or_too_long_note_is_refused(app, editor, sign_ups):
    url = f"{LIST}/{sign_ups['older']}"
    soup = page(post_page(editor, url, {"note": "  "}))
    assert summary(soup) == ["Schrijf kort wat je met de aanmelding deed."]
    assert soup.title.get_text().startswith("Fout: Aanmelding")
    soup = page(post_page(editor, url, {"note": "n" * 1001}))
    assert field_errors(soup) == {"note": "Gebruik maximaal 1000 tekens. Je hebt er nu 1001."}
    assert soup.select_one("#note").get_text() == "n" * 1001
    with app.app_context():
        assert db.session.get(SignUp, sign_ups["older"]).handled_at is None


def test_when_someone_else_was_first_the_typed_note_is_shown(app, editor, admin, sign_ups):
    url = f"{LIST}/{sign_ups['older']}"
    token = csrf(checked_page(editor, url))
    # The admin handles it while the editor's page is open.
    assert post_page(admin, url, {"note": "Ik bel ze morgen."}).status_code == 302
    response = editor.post(url, data={"csrf_token": token, "note": "Mail gestuurd."})
    assert response.status_code == 200
    soup = page(response)
    notice = soup.select_one(".notice").get_text(" ", strip=True)
    assert "Iemand anders handelde deze aanmelding net af" in notice
    assert "Mail gestuurd." in notice
    assert "Ik bel ze morgen." in soup.select_one("main").get_text()
    with app.app_context():
        row = db.session.get(SignUp, sign_ups["older"])
        assert row.note == "Ik bel ze morgen." and row.handled_by_id == admin.editor_id


def test_handle_sign_up_is_settled_in_the_database(app, sign_ups):
    from wdp.editors.models import Editor
    with app.app_context():
        first = Editor(name="Een", email="een@redactie.test", role="editor")
        second = Editor(name="Twee", email="twee@redactie.test", role="editor")
        db.session.add_all([first, second])
        db.session.commit()
        assert ops.handle_sign_up(sign_ups["older"], first, "eerste") is True
        assert ops.handle_sign_up(sign_ups["older"], second, "tweede") is False
        db.session.commit()
        row = db.session.scalar(select(SignUp).where(SignUp.id == sign_ups["older"]))
        assert (row.note, row.handled_by_id) == ("eerste", first.id)


def test_unknown_sign_ups_are_not_found(editor):
    assert editor.get(f"{LIST}/999999").status_code == 404
    token = csrf(checked_page(editor, "/redactie/wachtwoord-wijzigen"))
    response = editor.post(f"{LIST}/999999", data={"csrf_token": token, "note": "x"})
    assert response.status_code == 404
    check_page(BeautifulSoup(response.data, "html.parser"))


def test_a_post_without_csrf_is_refused(app, editor, sign_ups):
    response = editor.post(f"{LIST}/{sign_ups['older']}", data={"note": "x"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(SignUp, sign_ups["older"]).handled_at is None


def test_the_list_is_never_cached(editor, sign_ups):
    assert editor.get(LIST).headers["Cache-Control"] == "no-store"


def test_contact_details_are_erased_after_the_retention_period(app, clock, editor, sign_ups):
    signed_in_at = clock.now
    clock.set(datetime(2026, 1, 6, 11, 0) + ops.timedelta(days=app.config["WDP_RETENTION_DAYS"]))
    with app.app_context():
        assert ops.erase_handled_sign_ups() == 0, "not a day early"
    clock.set(datetime(2026, 1, 7, 11, 0) + ops.timedelta(days=app.config["WDP_RETENTION_DAYS"]))
    with app.app_context():
        assert ops.erase_handled_sign_ups() == 1
        db.session.commit()
        handled = db.session.get(SignUp, sign_ups["handled"])
        assert (handled.email, handled.contact_name, handled.phone) == ("", "", "")
        assert handled.organisation == "Klaar vzw" and handled.note == "Gebeld."
        # open sign-ups keep their address however old they are
        assert db.session.get(SignUp, sign_ups["older"]).email == "oud@org.test"
        assert ops.erase_handled_sign_ups() == 0, "erased once"
    clock.set(signed_in_at)  # the editor's session is still fresh then
    soup = checked_page(editor, f"{LIST}/{sign_ups['handled']}")
    assert "klaar@org.test" not in soup.get_text()
    assert "Gewist na de bewaartermijn" in soup.get_text()
    assert "Contactgegevens gewist" in checked_page(editor, LIST).get_text()


def test_typed_markup_is_shown_as_text(app, editor):
    row = add_sign_up(app, "<b>Zorg</b>groep", datetime(2026, 2, 21, 9, 0),
                      message="<script>alert(1)</script>")
    for url in (LIST, f"{LIST}/{row}"):
        response = editor.get(url)
        html = response.get_data(as_text=True)
        assert "&lt;b&gt;Zorg&lt;/b&gt;groep" in html and "<b>Zorg" not in html
    assert "&lt;script&gt;alert(1)" in html and "<script>alert" not in html
