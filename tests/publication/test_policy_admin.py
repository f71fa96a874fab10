"""The admin page that chooses the publication policy: admins only, CSRF, stored with who and when."""
import logging

from bs4 import BeautifulSoup

from tests.admin.conftest import ADMIN_EMAIL, admin, editor  # noqa: F401  (fixtures)
from tests.pagecheck import check_page, checked_page
from tests.rating_form.helpers import csrf
from wdp.extensions import db
from wdp.publication import policy
from wdp.publication.models import PlatformSetting

URL = "/redactie/beheer/publicatie"


def _policy(app):
    with app.app_context():
        return policy.current_policy(), db.session.get(PlatformSetting, policy.KEY)


def test_admin_start_page_links_to_the_policy_page(admin):  # noqa: F811
    link = checked_page(admin, "/redactie/beheer/").select_one(f"main a[href='{URL}']")
    assert link.get_text(strip=True) == "Hoe komt een waardering online?"


def test_page_shows_three_explained_choices_and_the_default(app, admin):  # noqa: F811
    app.config["WDP_AUTO_PUBLISH_DAYS"] = 9
    try:
        soup = checked_page(admin, URL)
    finally:
        app.config["WDP_AUTO_PUBLISH_DAYS"] = 14
    radios = soup.select("input[name=policy]")
    assert [r["value"] for r in radios] == ["opt_in", "consent", "auto_publish"]
    assert [r.has_attr("checked") for r in radios] == [True, False, False]
    hints = [soup.select_one(f"#{r['aria-describedby']}").get_text(" ", strip=True)
             for r in radios]
    assert "knop „Publiceer”" in hints[0] and "twee herinneringen" in hints[0]
    assert "laatste pagina van het formulier" in hints[1]
    assert "na 9 dagen vanzelf online" in hints[2] and "WDP_AUTO_PUBLISH_DAYS" in hints[2]
    assert "Nog niemand koos een beleid" in soup.select_one("main").get_text()
    assert soup.select_one("#current-policy").get_text(strip=True) == str(
        policy.POLICIES[policy.OPT_IN])


def test_admin_chooses_a_policy_and_sees_who_chose_it_when(app, admin, clock, caplog):  # noqa: F811
    clock.advance(minutes=5)
    chosen_at = clock.now
    token = csrf(checked_page(admin, URL))
    with caplog.at_level(logging.INFO, logger="wdp.admin"):
        response = admin.post(URL, data={"csrf_token": token, "policy": "consent"})
    assert response.status_code == 302 and response.headers["Location"] == URL
    current, setting = _policy(app)
    assert current == "consent"
    assert setting.updated_by_id == admin.editor_id
    assert setting.updated_at == chosen_at
    lines = [r.getMessage() for r in caplog.records if r.name == "wdp.admin"]
    assert lines == [f"admin {admin.editor_id} set the publication policy to consent"]
    assert ADMIN_EMAIL not in caplog.text

    soup = checked_page(admin, URL)
    assert "Het beleid is opgeslagen" in soup.select_one("[role=status]").get_text()
    assert soup.select_one("input[name=policy][checked]")["value"] == "consent"
    assert f"Gekozen door Test admin op {chosen_at:%-d/%m/%Y %H:%M}." in soup.select_one("main").get_text(
        " ", strip=True)

    # The same choice again changes nothing and says so.
    admin.post(URL, data={"csrf_token": token, "policy": "consent"})
    assert "Er is niets gewijzigd" in checked_page(admin, URL).select_one(
        "[role=status]").get_text()
    assert _policy(app)[1].updated_at == chosen_at


def test_a_missing_or_forged_choice_shows_an_error_and_changes_nothing(app, admin):  # noqa: F811
    token = csrf(checked_page(admin, URL))
    for data in ({}, {"policy": "publish_everything"}):
        response = admin.post(URL, data={"csrf_token": token, **data})
        assert response.status_code == 200
        soup = BeautifulSoup(response.data, "html.parser")
        check_page(soup)
        assert soup.title.get_text().startswith("Fout: ")
        link = soup.select_one(".error-summary a")
        assert link["href"] == "#policy-0" and soup.select_one("#policy-0")
        assert link.get_text() == "Kies hoe een waardering online komt."
        assert "Kies hoe een waardering online komt." in soup.select_one(
            ".field-error").get_text()
    assert _policy(app) == ("opt_in", None)


def test_posts_without_csrf_token_are_refused(app, admin):  # noqa: F811
    checked_page(admin, URL)
    assert admin.post(URL, data={"policy": "auto_publish"}).status_code == 400
    assert _policy(app) == ("opt_in", None)


def test_plain_editors_are_refused(app, editor):  # noqa: F811
    checked_page(editor, URL, status=403)
    token = csrf(checked_page(editor, "/redactie/wachtwoord-wijzigen"))
    response = editor.post(URL, data={"csrf_token": token, "policy": "auto_publish"})
    assert response.status_code == 403
    assert _policy(app) == ("opt_in", None)
    assert checked_page(editor, "/redactie/beheer/", status=403)


def test_anonymous_visitors_go_to_sign_in(app, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/redactie/aanmelden")
    assert client.post(URL, data={"policy": "consent"}).status_code in (302, 400)
    assert _policy(app) == ("opt_in", None)
