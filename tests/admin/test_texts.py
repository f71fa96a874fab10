"""Admins edit the reasons, the message templates and the theme wording (as new versions)."""
import logging

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_location, make_rating
from tests.pagecheck import checked_page
from tests.rating_form.helpers import answer, get, post_form, start
from wdp.extensions import db
from wdp.moderation.models import MessageTemplate, Reason
from wdp.rating_form.models import RatingAnswer
from wdp.sectors.models import Sector, Theme


def _reasons(app):
    with app.app_context():
        return [(r.key, r.label_nl, r.active) for r in db.session.scalars(
            select(Reason).order_by(Reason.position, Reason.id))]


def _page(response):
    return BeautifulSoup(response.data, "html.parser")


# -- reasons ----------------------------------------------------------------------------------

def test_reasons_list_shows_the_three_languages(admin):
    page = checked_page(admin, "/redactie/beheer/redenen")
    assert "Er staan scheldwoorden in." in page.get_text()
    assert "Elle contient des injures." in [dd.get_text() for dd in page.select("dd[lang=fr]")]
    assert len(page.select("ol.location-list > li")) == 9


def test_add_a_reason_gets_a_unique_key_from_the_dutch_label(app, admin, caplog):
    caplog.set_level(logging.INFO, logger="wdp.admin")
    labels = {"label_nl": "Reclame of spam.", "label_fr": "Publicité.", "label_en": "Spam."}
    assert post_form(admin, "/redactie/beheer/redenen/nieuw", labels).status_code == 302
    assert post_form(admin, "/redactie/beheer/redenen/nieuw", labels).status_code == 302
    reasons = _reasons(app)
    assert reasons[-2:] == [("reclame_of_spam", "Reclame of spam.", True),
                            ("reclame_of_spam_2", "Reclame of spam.", True)]
    assert any("added reason reclame_of_spam" in r.getMessage() for r in caplog.records)


def test_reason_validation_keeps_the_input(app, admin):
    response = post_form(admin, "/redactie/beheer/redenen/nieuw",
                         {"label_nl": "Iets", "label_fr": " ", "label_en": "x" * 201})
    page = _page(response)
    assert page.title.get_text().startswith("Fout: ")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#label_fr", "#label_en"]
    assert "Vul de omschrijving in het Frans in." in page.get_text()
    assert "Gebruik maximaal 200 tekens" in page.get_text()
    assert page.select_one("#label_nl")["value"] == "Iets"
    assert len(_reasons(app)) == 9


def test_edit_retire_reactivate_and_order_reasons(app, admin):
    with app.app_context():
        swearing = db.session.scalar(select(Reason).where(Reason.key == "swearing"))
        reason_id = swearing.id
    url = f"/redactie/beheer/redenen/{reason_id}"
    assert checked_page(admin, url).select_one("#label_nl")["value"] == "Er staan scheldwoorden in."
    post_form(admin, url, {"label_nl": "Er staan scheldwoorden of vloeken in.",
                           "label_fr": "Injures.", "label_en": "Swearing."})
    assert ("swearing", "Er staan scheldwoorden of vloeken in.", True) in _reasons(app)

    page = checked_page(admin, "/redactie/beheer/redenen")
    token = page.select_one("input[name=csrf_token]")["value"]
    switch = page.select_one(f"#reden-{reason_id} form[action$='/actief'] input[name=to]")
    assert switch["value"] == "uit"
    admin.post(f"{url}/actief", data={"csrf_token": token, "to": "uit"})
    assert ("swearing", "Er staan scheldwoorden of vloeken in.", False) in _reasons(app)
    # The same button pressed twice (or by two admins): it stays off.
    admin.post(f"{url}/actief", data={"csrf_token": token, "to": "uit"})
    assert ("swearing", "Er staan scheldwoorden of vloeken in.", False) in _reasons(app)
    assert "Uitgeschakeld" in checked_page(admin, "/redactie/beheer/redenen").get_text()
    assert admin.post(f"{url}/actief", data={"csrf_token": token}).status_code == 400
    admin.post(f"{url}/actief", data={"csrf_token": token, "to": "aan"})
    assert ("swearing", "Er staan scheldwoorden of vloeken in.", True) in _reasons(app)

    keys = [key for key, _label, _active in _reasons(app)]
    assert keys.index("swearing") == 3
    admin.post(f"{url}/verplaatsen", data={"csrf_token": token, "direction": "up"})
    assert [k for k, *_ in _reasons(app)].index("swearing") == 2
    admin.post(f"{url}/verplaatsen", data={"csrf_token": token, "direction": "down"})
    admin.post(f"{url}/verplaatsen", data={"csrf_token": token, "direction": "down"})
    assert [k for k, *_ in _reasons(app)].index("swearing") == 4
    assert admin.post(f"{url}/verplaatsen",
                      data={"csrf_token": token, "direction": "sideways"}).status_code == 400
    assert len(_reasons(app)) == 9  # nothing is ever deleted


def test_a_reason_for_ratings_only_or_for_responses_too(app, admin):
    with app.app_context():
        reasons = {r.key: r for r in db.session.scalars(select(Reason))}
        assert not reasons["reliability"].for_responses and not reasons["repeat"].for_responses
        assert reasons["swearing"].for_responses
        swearing_id = reasons["swearing"].id
    page = checked_page(admin, "/redactie/beheer/redenen")
    card = page.select_one(f"#reden-{swearing_id}")
    assert "Ook bij reacties van organisaties" in card.get_text()
    token = page.select_one("input[name=csrf_token]")["value"]
    url = f"/redactie/beheer/redenen/{swearing_id}/reacties"
    assert card.select_one("form[action$='/reacties'] input[name=to]")["value"] == "uit"
    assert admin.post(url, data={"csrf_token": token, "to": "uit"}).status_code == 302
    admin.post(url, data={"csrf_token": token, "to": "uit"})  # twice: still off
    with app.app_context():
        from wdp import kept
        from wdp.moderation import queries
        kept.forget()
        assert not db.session.get(Reason, swearing_id).for_responses
        assert "swearing" not in [r.key for r in queries.active_reasons(for_responses=True)]
        assert "swearing" in [r.key for r in queries.active_reasons()]
    card = checked_page(admin, "/redactie/beheer/redenen").select_one(f"#reden-{swearing_id}")
    assert "Alleen bij waarderingen" in card.get_text()
    admin.post(url, data={"csrf_token": token, "to": "aan"})
    with app.app_context():
        assert db.session.get(Reason, swearing_id).for_responses
    assert admin.post(url, data={"to": "uit"}).status_code == 400  # no CSRF token
    assert admin.post(url, data={"csrf_token": token, "to": "x"}).status_code == 400


# -- message templates ------------------------------------------------------------------------

def test_templates_list_and_edit(app, admin):
    page = checked_page(admin, "/redactie/beheer/berichten")
    assert len(page.select("a[href^='/redactie/beheer/berichten/']")) == 12
    url = "/redactie/beheer/berichten/changes_requested/en"
    assert "Could you change it" in checked_page(admin, url).select_one("#body").get_text()
    assert post_form(admin, url, {"body": "Please change one sentence."}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(MessageTemplate.body).where(
            MessageTemplate.key == "changes_requested",
            MessageTemplate.language == "en")) == "Please change one sentence."


def test_template_body_is_required_and_at_most_2000_characters(app, admin):
    url = "/redactie/beheer/berichten/rejected/nl"
    page = _page(post_form(admin, url, {"body": "   "}))
    assert "Vul de tekst van het bericht in." in page.select_one(".error-summary").get_text()
    page = _page(post_form(admin, url, {"body": "a" * 2001}))
    assert "Gebruik maximaal 2000 tekens. Je hebt er nu 2001." in page.get_text()
    assert page.select_one("#body").get_text() == "a" * 2001
    assert page.select_one(".error-summary a")["href"] == "#body"
    with app.app_context():
        assert db.session.scalar(select(MessageTemplate.body).where(
            MessageTemplate.key == "rejected", MessageTemplate.language == "nl")).startswith(
            "Bedankt voor je waardering.")


# -- themes -----------------------------------------------------------------------------------

def _theme(app, sector="ouderenzorg", position=0, current=True):
    with app.app_context():
        sector_id = db.session.scalar(select(Sector.id).where(Sector.slug == sector))
        return db.session.scalar(select(Theme).where(
            Theme.sector_id == sector_id, Theme.position == position,
            Theme.is_current.is_(current)).order_by(Theme.version.desc()))


def _wording(theme, **changes):
    values = {f"{field}_{lang}": getattr(theme, f"{field}_{lang}")
              for field in ("title", "question_self", "question_other", "help")
              for lang in ("nl", "fr", "en")}
    return {**values, "version": str(theme.version), **changes}


def test_themes_page_shows_eight_current_themes_with_versions(admin):
    page = checked_page(admin, "/redactie/beheer/themas/ouderenzorg")
    assert len(page.select("ol.location-list > li")) == 8
    assert "Antwoorden met versie 1" in page.get_text()
    assert len(checked_page(admin, "/redactie/beheer/themas").select("main li a")) == 4


def test_new_wording_is_a_new_version_and_old_answers_keep_theirs(app, admin):
    v1 = _theme(app)
    with app.app_context():
        location = make_location(sector="ouderenzorg")
        rating = make_rating(location)
        rating.answers.append(RatingAnswer(theme_id=v1.id, score=4, text="Lekker."))
        db.session.commit()
        rating_id, code = rating.id, location.code

    url = f"/redactie/beheer/themas/ouderenzorg/{v1.key}"
    page = checked_page(admin, url)
    assert "Versie 1: 1 antwoord" in page.get_text()
    new_question = "Hoe tevreden ben je over de maaltijden?"
    response = post_form(admin, url, _wording(v1, question_self_nl=new_question))
    assert response.status_code == 302

    old, new = _theme(app, current=False), _theme(app)
    assert old.id == v1.id and old.question_self_nl == v1.question_self_nl
    assert (new.version, new.question_self_nl, new.key, new.position) == (
        2, new_question, v1.key, v1.position)
    with app.app_context():
        kept = db.session.scalar(select(RatingAnswer).where(RatingAnswer.rating_id == rating_id))
        assert kept.theme_id == v1.id
        assert kept.theme.question_self_nl == v1.question_self_nl and kept.theme.version == 1
    page = checked_page(admin, "/redactie/beheer/themas/ouderenzorg")
    assert "Antwoorden met versie 2" in page.get_text()

    # The rating form now asks the new wording.
    visitor = app.test_client()
    start(visitor, type("L", (), {"code": code}))
    answer(visitor, "rol", {"role": "self"})
    assert get(visitor, "/waardering/thema-1").h1.get_text(" ", strip=True) == new_question


def test_saving_unchanged_wording_or_an_old_version_makes_no_version(app, admin):
    v1 = _theme(app)
    url = f"/redactie/beheer/themas/ouderenzorg/{v1.key}"
    response = post_form(admin, url, _wording(v1), follow=True)
    assert "Je hebt niets gewijzigd" in response.get_data(as_text=True)
    post_form(admin, url, _wording(v1, title_en="Meals"))
    assert _theme(app).version == 2
    # A second admin who opened version 1 does not overwrite version 2.
    response = post_form(admin, url, _wording(v1, title_en="Food"), follow=True)
    assert "Iemand anders heeft dit thema net gewijzigd" in response.get_data(as_text=True)
    assert (_theme(app).version, _theme(app).title_en) == (2, "Meals")


def test_theme_validation_keeps_the_input(app, admin):
    v1 = _theme(app)
    url = f"/redactie/beheer/themas/ouderenzorg/{v1.key}"
    response = post_form(admin, url, _wording(v1, title_fr="", help_en="x" * 501,
                                              question_self_nl="Nieuwe vraag?"))
    page = _page(response)
    assert page.title.get_text().startswith("Fout: ")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#title_fr", "#help_en"]
    assert "Vul de titel in het Frans in." in page.get_text()
    assert page.select_one("#question_self_nl").get_text() == "Nieuwe vraag?"
    assert _theme(app).version == 1
