"""Every admin route refuses anonymous visitors and plain editors, and works for admins."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.pagecheck import check_page, checked_page
from tests.rating_form.helpers import csrf
from wdp.extensions import db
from wdp.moderation.models import Reason

PAGES = ["/redactie/beheer/", "/redactie/beheer/redacteurs", "/redactie/beheer/redacteurs/nieuw",
         "/redactie/beheer/redacteurs/{admin_id}", "/redactie/beheer/redenen",
         "/redactie/beheer/redenen/nieuw", "/redactie/beheer/redenen/{reason_id}",
         "/redactie/beheer/berichten", "/redactie/beheer/berichten/rejected/fr",
         "/redactie/beheer/themas", "/redactie/beheer/themas/kinderopvang",
         "/redactie/beheer/themas/kinderopvang/{theme_key}"]
POSTS = ["/redactie/beheer/redacteurs/nieuw", "/redactie/beheer/redacteurs/{admin_id}/rol",
         "/redactie/beheer/redacteurs/{admin_id}/uitschakelen",
         "/redactie/beheer/redacteurs/{admin_id}/inschakelen",
         "/redactie/beheer/redacteurs/{admin_id}/tweede-stap",
         "/redactie/beheer/redenen/nieuw", "/redactie/beheer/redenen/{reason_id}",
         "/redactie/beheer/redenen/{reason_id}/actief",
         "/redactie/beheer/redenen/{reason_id}/reacties",
         "/redactie/beheer/redenen/{reason_id}/verplaatsen",
         "/redactie/beheer/berichten/rejected/fr",
         "/redactie/beheer/themas/kinderopvang/{theme_key}"]


def _ids(app, admin_id=1):
    from wdp.sectors.models import Sector, Theme
    with app.app_context():
        reason_id = db.session.scalar(select(Reason.id).order_by(Reason.position))
        sector = db.session.scalar(select(Sector).where(Sector.slug == "kinderopvang"))
        key = db.session.scalar(select(Theme.key).where(Theme.sector_id == sector.id))
        return {"admin_id": admin_id, "reason_id": reason_id, "theme_key": key}


def test_admin_opens_every_page(app, admin):
    ids = _ids(app, admin.editor_id)
    for url in PAGES:
        checked_page(admin, url.format(**ids))


def test_start_page_links_to_admin_pages_only_for_admins(admin, editor):
    assert checked_page(admin, "/redactie/").select_one("a[href='/redactie/beheer/']")
    assert checked_page(editor, "/redactie/").select_one("a[href='/redactie/beheer/']") is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_go_to_sign_in(app, client, method):
    ids = _ids(app)
    for url in (PAGES if method == "get" else POSTS):
        response = getattr(client, method)(url.format(**ids))
        if method == "post":
            # Without a session there is no CSRF token either: refused before anything runs.
            assert response.status_code in (302, 400), url
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/redactie/aanmelden"), url


def test_plain_editors_get_the_admins_only_page(app, editor):
    ids = _ids(app)
    token = csrf(checked_page(editor, "/redactie/wachtwoord-wijzigen"))
    for url in PAGES:
        checked_page(editor, url.format(**ids), status=403)
    for url in POSTS:
        response = editor.post(url.format(**ids), data={"csrf_token": token, "role": "admin",
                                                        "direction": "up"})
        assert response.status_code == 403, url
        check_page(BeautifulSoup(response.data, "html.parser"))


def test_unknown_ids_are_not_found(admin):
    for url in ["/redactie/beheer/redacteurs/999999", "/redactie/beheer/redenen/999999",
                "/redactie/beheer/berichten/onbekend/nl", "/redactie/beheer/berichten/rejected/de",
                "/redactie/beheer/themas/onbekend", "/redactie/beheer/themas/kinderopvang/x"]:
        assert admin.get(url).status_code == 404, url


def test_posts_without_a_csrf_token_are_refused(app, admin):
    ids = _ids(app, admin.editor_id)
    for url in POSTS:
        response = admin.post(url.format(**ids), data={"role": "editor", "direction": "up",
                                                       "name": "X", "email": "x@y.test",
                                                       "label_nl": "a", "label_fr": "b",
                                                       "label_en": "c", "body": "d"})
        assert response.status_code == 400, url
