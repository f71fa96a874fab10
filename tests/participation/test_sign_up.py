"""The public sign-up form: what it asks, what it stores, its receipt mail, and bad input."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.mailbox import last_mail_to, outbox
from tests.pagecheck import checked_page
from tests.participation.helpers import GOOD, SIGN_UP, field_errors, page, sign_up, summary
from tests.rating_form.helpers import csrf
from wdp.extensions import db, limiter
from wdp.mail.sender import send_due
from wdp.organisations.models import SignUp
from wdp.sectors.models import Sector

SENT = "/deelnemen/verstuurd"
ADDRESS = GOOD["email"]


def stored(app):
    with app.app_context():
        return db.session.scalars(select(SignUp).order_by(SignUp.id)).all()


def test_the_form_asks_each_thing_once_with_labels_and_hints(client):
    soup = checked_page(client, SIGN_UP)
    assert soup.select_one("h1").get_text(strip=True) == "Meld je organisatie aan"
    form = soup.select_one("main form[method=post]")
    assert form["action"] == SIGN_UP and form.has_attr("novalidate")
    assert form.select_one("input[name=csrf_token]")
    labels = {label["for"]: label.get_text(" ", strip=True) for label in form.select("label")}
    assert labels["organisation"] == "Naam van je organisatie"
    assert labels["locations"] == "Welke locaties willen meedoen?"
    assert labels["contact_name"] == "Naam van de contactpersoon"
    assert labels["email"] == "E-mailadres van de contactpersoon"
    assert labels["phone"].endswith("(niet verplicht)")
    assert labels["message"].endswith("(niet verplicht)")
    assert form.select_one("fieldset legend").get_text(strip=True).endswith("(niet verplicht)")
    # Four sectors, none chosen beforehand; nothing is required by the browser.
    radios = form.select("input[type=radio][name=sector]")
    assert [r["value"] for r in radios] == ["ouderenzorg", "kinderopvang", "jeugdhulp", "handicap"]
    assert not any(r.has_attr("checked") for r in radios)
    assert not form.select("[required]") and not form.select("[placeholder]")
    assert form.select_one("#email")["type"] == "email"
    assert form.select_one("#email")["autocomplete"] == "email"
    assert form.select_one("#contact_name")["autocomplete"] == "name"
    assert form.select_one("#phone")["type"] == "tel"
    assert form.select_one("#locations")["aria-describedby"] == "locations-hint"
    assert "Je kunt maximaal 3000 tekens gebruiken." in form.select_one("#locations-hint").text
    # No CAPTCHA, no script needed: a plain form.
    assert "captcha" not in str(soup).lower()


def test_a_sign_up_is_stored_and_confirmed(app, client):
    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"] == SENT
    assert response.headers["Cache-Control"] == "no-store"
    [row] = stored(app)
    assert row.organisation == "Zorggroep Zonneweelde"
    # One location per line; empty lines and spaces around them dropped.
    assert row.locations == "WZC Zonneweelde, Gent\nDagverzorging De Klaproos, Aalst"
    assert (row.contact_name, row.email, row.phone) == ("Lies Maes", ADDRESS, "09 123 45 67")
    assert row.message == "Bel liefst in de voormiddag."
    assert row.language == "nl" and row.handled_at is None
    with app.app_context():
        assert db.session.get(Sector, row.sector_id).slug == "ouderenzorg"
    soup = checked_page(client, SENT)
    panel = soup.select_one(".panel")
    assert panel.select_one("h1").get_text(strip=True) == "Je aanmelding is verstuurd"
    assert f"Je referentienummer is A-{row.id}." in panel.get_text()
    assert not panel.select("a")
    assert "Wat gebeurt er nu?" in soup.select_one("main").get_text()
    # From a bookmark in another browser the page still works, without a number.
    other = checked_page(app.test_client(), SENT)
    assert "Je referentienummer is" not in other.get_text()
    assert "Wat gebeurt er nu?" in other.get_text()


def test_optional_fields_may_stay_empty(app, client):
    response = sign_up(client, sector=None, phone="", message="   ")
    assert response.status_code == 302
    [row] = stored(app)
    assert (row.sector_id, row.phone, row.message) == (None, "", "")
    mail = last_mail_to(app, ADDRESS)
    assert "Sector:" not in mail.text


def test_the_receipt_mail_repeats_nothing_that_was_typed(app, client, clock):
    # Anyone can type any address: the receipt must not carry their words to it.
    sign_up(client)
    [row] = stored(app)
    [mail] = outbox(app, ADDRESS)
    assert mail.template == "signup_received" and mail.language == "nl"
    assert mail.subject == f"We kregen je aanmelding voor WDP (A-{row.id})"
    assert mail.text.startswith("Hallo,")
    assert "We kregen op 2 maart 2026 je aanmelding om mee te doen met WDP." in mail.text
    assert "Sector: Ouderenzorg" in mail.text
    assert f"Je referentienummer is A-{row.id}." in mail.text
    for typed in ("Lies Maes", "Zonneweelde", "Klaproos"):
        assert typed not in mail.text and typed not in mail.html
    html = BeautifulSoup(mail.html, "html.parser")
    assert "De redactie leest je aanmelding" in html.get_text()
    # Only the receipt: nobody else gets a mail.
    assert [m.recipient for m in outbox(app)] == [ADDRESS]


def test_the_receipt_speaks_the_language_of_the_page(app, client, clock):
    client.get("/taal/fr")
    sign_up(client)
    [row] = stored(app)
    assert row.language == "fr"
    mail = last_mail_to(app, ADDRESS)
    assert mail.language == "fr"
    assert "2 mars 2026" in mail.text


def test_the_receipt_arrives_over_smtp(app, client, smtp):
    sign_up(client)
    with app.app_context():
        counts = send_due()
    assert counts.sent == 1
    [(recipients, mail)] = smtp.received
    assert recipients == [ADDRESS]
    assert mail["Subject"].startswith("We kregen je aanmelding voor WDP (A-")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "je aanmelding om mee te doen met WDP" in text and "Zonneweelde" not in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Je referentienummer is A-" in html


def test_an_address_gets_at_most_three_receipts_a_day(app, clock):
    for _ in range(4):
        assert sign_up(app.test_client()).status_code == 302
    # Every sign-up is filed for the editors; the fourth sends no mail.
    assert len(stored(app)) == 4
    assert len(outbox(app, ADDRESS)) == 3
    clock.advance(hours=24)
    sign_up(app.test_client())
    assert len(outbox(app, ADDRESS)) == 4


# -- bad input ----------------------------------------------------------------------------------

MISSING = {
    "organisation": "Vul de naam van je organisatie in.",
    "locations": "Vul minstens één locatie in, met de naam en de gemeente.",
    "contact_name": "Vul de naam van de contactpersoon in.",
    "email": "Vul het e-mailadres van de contactpersoon in.",
}


@pytest.mark.parametrize("name", list(MISSING))
@pytest.mark.parametrize("value", ["", "   \n  ", None])
def test_a_missing_required_field_says_what_to_do(app, client, name, value):
    response = sign_up(client, **{name: value})
    assert response.status_code == 200
    soup = page(response)
    assert summary(soup) == [MISSING[name]]
    assert soup.select_one(".error-summary a")["href"] == f"#{name}"
    assert field_errors(soup) == {name: MISSING[name]}
    assert soup.title.get_text().startswith("Fout: Meld je organisatie aan")
    assert soup.select_one(f"#{name}")["aria-describedby"].endswith(f"{name}-error")
    assert stored(app) == [] and outbox(app) == []


def test_nothing_typed_is_lost_after_an_error(client):
    soup = page(sign_up(client, email="lies.maes@", sector="jeugdhulp"))
    assert summary(soup) == ["Vul een e-mailadres in zoals naam@voorbeeld.be."]
    assert soup.select_one("#organisation")["value"] == GOOD["organisation"]
    assert soup.select_one("#locations").get_text() == GOOD["locations"].strip()
    assert soup.select_one("#contact_name")["value"] == "Lies Maes"
    assert soup.select_one("#email")["value"] == "lies.maes@"
    assert soup.select_one("#phone")["value"] == "09 123 45 67"
    assert soup.select_one("#message").get_text() == GOOD["message"]
    assert soup.select_one("input[name=sector][value=jeugdhulp]").has_attr("checked")


def test_every_problem_is_listed_in_field_order(client):
    soup = page(sign_up(client, organisation="", locations="", contact_name="", email="x",
                        phone="bel me", sector="tandarts"))
    assert summary(soup) == [
        "Vul de naam van je organisatie in.",
        "Vul minstens één locatie in, met de naam en de gemeente.",
        "Kies een van de sectoren.",
        "Vul de naam van de contactpersoon in.",
        "Vul een e-mailadres in zoals naam@voorbeeld.be.",
        "Vul een telefoonnummer in met cijfers, zoals 09 123 45 67. Of laat het leeg.",
    ]
    hrefs = [a["href"] for a in soup.select(".error-summary a")]
    assert hrefs == ["#organisation", "#locations", "#sector-0", "#contact_name", "#email",
                     "#phone"]
    for href in hrefs:
        assert soup.select_one(href), href
    summary_box = soup.select_one(".error-summary")
    assert summary_box["tabindex"] == "-1" and summary_box.has_attr("autofocus")
    # The summary comes before the h1.
    assert str(soup.select_one("main")).index("error-summary") < str(
        soup.select_one("main")).index("<h1")


@pytest.mark.parametrize("changes, field, message", [
    ({"organisation": "x" * 301}, "organisation", "Gebruik maximaal 300 tekens. Je hebt er nu 301."),
    ({"locations": "y" * 3001}, "locations", "Gebruik maximaal 3000 tekens. Je hebt er nu 3001."),
    ({"contact_name": "z" * 201}, "contact_name", "Gebruik maximaal 200 tekens. Je hebt er nu 201."),
    ({"message": "m" * 2001}, "message", "Gebruik maximaal 2000 tekens. Je hebt er nu 2001."),
    ({"phone": "1" * 61}, "phone", "Gebruik maximaal 60 tekens. Je hebt er nu 61."),
    ({"phone": "12"}, "phone",
     "Vul een telefoonnummer in met cijfers, zoals 09 123 45 67. Of laat het leeg."),
    ({"phone": "<script>"}, "phone",
     "Vul een telefoonnummer in met cijfers, zoals 09 123 45 67. Of laat het leeg."),
    ({"email": "geen adres"}, "email", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ({"email": "a@" + "b" * 260 + ".be"}, "email",
     "Je e-mailadres is te lang. Kijk na of het klopt."),
    ({"email": "iemand@mailinator.com"}, "email",
     "Gebruik een e-mailadres dat je zelf leest. Een wegwerpadres kan niet."),
    ({"sector": "<b>ouderenzorg</b>"}, "sector-0", "Kies een van de sectoren."),
])
def test_bad_values_get_a_clear_message(app, client, changes, field, message):
    response = sign_up(client, **changes)
    assert response.status_code == 200
    soup = page(response)
    assert summary(soup) == [message]
    assert field_errors(soup) == {field.removesuffix("-0"): message}
    assert stored(app) == []


def test_html_and_control_characters_are_stored_as_plain_text(app, client):
    response = sign_up(client, organisation="<b>Zorg</b>\x00groep", message="<script>x</script>")
    assert response.status_code == 302
    [row] = stored(app)
    assert row.organisation == "<b>Zorg</b>groep"
    mail = last_mail_to(app, ADDRESS)
    assert "Zorg" not in mail.html and "<script" not in mail.html


def test_the_address_is_stored_normalised(app, client):
    sign_up(client, email="  Lies.Maes@ZONNEWEELDE.test ")
    [row] = stored(app)
    assert row.email == "lies.maes@zonneweelde.test"


def test_a_post_without_its_csrf_token_is_refused(app, client):
    client.get(SIGN_UP)
    response = client.post(SIGN_UP, data=GOOD)
    assert response.status_code == 400
    page(response)
    assert stored(app) == []


def test_per_ip_rate_limit(app):
    limiter.enabled = True
    app.config["WDP_RATELIMIT_SIGN_UP"] = "2 per hour"
    try:
        codes = [sign_up(app.test_client(), email=f"p{n}@voorbeeld.test").status_code
                 for n in range(3)]
        page_still_opens = app.test_client().get(SIGN_UP).status_code
    finally:
        limiter.enabled = False
        app.config.pop("WDP_RATELIMIT_SIGN_UP")
        limiter.reset()
    assert codes == [302, 302, 429]
    assert page_still_opens == 200
    assert len(stored(app)) == 2


def test_the_site_links_to_the_sign_up(client):
    about = checked_page(client, "/over")
    assert about.select_one(f"main a[href='{SIGN_UP}']")
    assert about.select_one("main a[href='/nieuw']")
    assert checked_page(client, "/nieuw").select_one(f"main a[href='{SIGN_UP}']")


def test_the_contact_address_is_never_on_a_public_page(app, client):
    sign_up(client)
    for url in (SENT, "/nieuw", "/over", "/"):
        assert ADDRESS not in client.get(url).get_data(as_text=True), url


def test_the_pages_are_not_cached(client):
    response = client.get(SIGN_UP)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    token = csrf(BeautifulSoup(response.data, "html.parser"))
    assert token
