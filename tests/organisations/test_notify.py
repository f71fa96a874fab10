"""Mails to organisations: one per published rating, the weekly digest, a new link, a changed address."""
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_location
from tests.mailbox import outbox
from tests.organisations.helpers import ORG_EMAIL, follow_link, rated_location
from tests.pagecheck import checked_page
from wdp.extensions import db, limiter
from wdp.locations.models import Location
from wdp.locations.operations import start_participation
from wdp.moderation.workflow import transition
from wdp.organisations import notify
from wdp.organisations.models import OrganisationContact
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Theme
from wdp.tokens import LinkToken

LINK = re.compile(r"http://wdp\.test(/organisatie/link/[A-Za-z0-9_-]+)")
DATA = Path(__file__).resolve().parents[1] / "data"


def _approved(location, score=2, text="Het eten is koud.", email="schrijver@voorbeeld.test"):
    """An approved rating with one theme answer, ready to be published."""
    rating = Rating(location=location, role="self", overall_score=score, experience_text=text,
                    email=email, language="fr")
    theme = db.session.scalars(select(Theme).where(Theme.sector_id == location.sector_id)).first()
    rating.answers.append(RatingAnswer(theme_id=theme.id, score=1, text="Koud."))
    db.session.add(rating)
    for step in ("draft", "submitted", "in_moderation", "approved"):
        transition(rating, step, actor_type="system")
    return rating


def _publish(app, location_id=None, **kwargs):
    """Publish through the publication operation (as the submitter's link does)."""
    from wdp.publication.operations import publish
    with app.app_context():
        location = (db.session.get(Location, location_id) if location_id
                    else make_location(email=ORG_EMAIL, name="WZC Zonnebloem"))
        rating = _approved(location, **kwargs)
        publish(rating)
        db.session.commit()
        return location.id, rating.id


def _org_mails(app, template=None, to=ORG_EMAIL):
    return [m for m in outbox(app, to) if template is None or m.template == template]


def test_publication_mails_the_contact_the_score_in_words_the_text_and_a_working_link(
        app, client):
    location_id, _rating = _publish(app)
    [mail] = _org_mails(app, "organisation_rating")
    assert mail.language == "nl"  # the organisation's language, not the submitter's (fr)
    assert mail.subject == "Nieuwe waardering online voor WZC Zonnebloem"
    for words in ("Slecht (2/5)", "Het eten is koud.", "WZC Zonnebloem",
                  "antwoorden per thema"):
        assert words in mail.text, words
    assert "Slecht (2/5)" in mail.html and "Open de pagina van je organisatie" in mail.html
    [path] = LINK.findall(mail.text)
    assert path in mail.html
    assert follow_link(client, path.rsplit("/", 1)[1]).status_code == 303
    page = checked_page(client, "/organisatie/")
    assert "Het eten is koud." in page.get_text() and "Koud." in page.get_text()


def test_each_mail_has_its_own_token_of_the_same_contact(app):
    location_id, _ = _publish(app)
    _publish(app, location_id, score=5, text="Top.")
    mails = _org_mails(app, "organisation_rating")
    assert len(mails) == 2
    assert LINK.findall(mails[0].text) != LINK.findall(mails[1].text)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 1
        contact = db.session.scalar(select(OrganisationContact))
        assert db.session.scalar(select(func.count()).select_from(LinkToken).where(
            LinkToken.purpose == "organisation", LinkToken.subject_id == contact.id)) == 2


def test_a_location_without_an_address_publishes_without_any_mail_to_it(app):
    with app.app_context():
        location_id = make_location(email=None, name="Zonder adres").id
        db.session.commit()
    _location, rating_id = _publish(app, location_id)
    with app.app_context():
        assert db.session.get(Rating, rating_id).status == "published"
        assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 0
    assert [m.template for m in outbox(app)] == ["rating_published"]  # the submitter's only


def test_a_weekly_contact_gets_no_mail_per_rating(app):
    with app.app_context():
        from wdp.organisations.access import contact_for
        contact_for(ORG_EMAIL).notify = "weekly"
        db.session.commit()
    _publish(app)
    assert _org_mails(app) == []


def test_auto_publishing_in_run_jobs_notifies_for_each_rating(app, clock):
    from wdp.jobs import run_jobs
    from wdp.publication.policy import AUTO_PUBLISH
    with app.app_context():
        location = make_location(email=ORG_EMAIL)
        for n in range(3):
            rating = _approved(location, text=f"Automatisch {n}")
            rating.publication_policy = AUTO_PUBLISH
        db.session.commit()
    clock.advance(days=app.config["WDP_AUTO_PUBLISH_DAYS"] + 1)
    with app.app_context():
        assert run_jobs()["auto-published ratings"] == 3
    texts = sorted(m.text for m in _org_mails(app, "organisation_rating"))
    assert len(texts) == 3 and all(f"Automatisch {n}" in texts[n] for n in range(3))


# -- the weekly digest ---------------------------------------------------------------------------

def _weekly(app, clock):
    with app.app_context():
        location = make_location(email=ORG_EMAIL, name="WZC Zonnebloem")
        from wdp.organisations.access import contact_for
        contact = contact_for(ORG_EMAIL)
        contact.notify = "weekly"
        contact.digest_sent_at = clock.now
        db.session.commit()
        return location.id, contact.id


def _jobs(app):
    from wdp.jobs import run_jobs
    with app.app_context():
        return run_jobs()["weekly organisation digests"]


def test_weekly_digest_lists_the_weeks_ratings_once(app, clock, client):
    location_id, _contact = _weekly(app, clock)
    clock.advance(days=1)
    _publish(app, location_id, score=5, text="Eerste van de week.")
    clock.advance(days=2)
    _publish(app, location_id, score=1, text="Tweede van de week.")
    clock.advance(days=3)
    assert _jobs(app) == 0  # six days: not yet
    clock.advance(days=1, minutes=1)
    assert _jobs(app) == 1
    [mail] = _org_mails(app, "organisation_digest")
    assert mail.subject == "2 nieuwe waarderingen deze week op WDP"
    assert "Eerste van de week." in mail.text and "Tweede van de week." in mail.text
    assert "Heel goed (5/5)" in mail.text and "Heel slecht (1/5)" in mail.text
    assert _jobs(app) == 0  # the same runner again: nothing twice
    # The link in the digest opens the page.
    [path] = LINK.findall(mail.text)
    assert follow_link(client, path.rsplit("/", 1)[1]).status_code == 303
    # The next week has nothing new: no mail, but the week is used up.
    clock.advance(days=7, minutes=1)
    assert _jobs(app) == 0
    clock.advance(minutes=1)
    _publish(app, location_id, score=3, text="Derde.")
    clock.advance(days=7)
    assert _jobs(app) == 1
    assert "Derde." in _org_mails(app, "organisation_digest")[-1].text
    assert "Eerste van de week." not in _org_mails(app, "organisation_digest")[-1].text


def test_two_runners_claim_one_digest_once(app, clock):
    location_id, contact_id = _weekly(app, clock)
    _publish(app, location_id)
    clock.advance(days=8)
    with app.app_context():
        sent_at = db.session.get(OrganisationContact, contact_id).digest_sent_at
        # Both runners read the same due contact; the conditional UPDATE lets one through.
        assert notify._claim(contact_id, sent_at, clock.now) is True
        assert notify._claim(contact_id, sent_at, clock.now) is False
        db.session.rollback()
    # A runner that read the contact before the other committed finds it claimed: no mail.
    with app.app_context():
        assert notify._claim(contact_id, sent_at, clock.now) is True
        db.session.commit()
        assert notify.send_digests() == 0
    assert _org_mails(app, "organisation_digest") == []


def test_a_weekly_contact_without_a_digest_yet_counts_from_its_creation(app, clock):
    with app.app_context():
        location = make_location(email=ORG_EMAIL)
        from wdp.organisations.access import contact_for
        contact_for(ORG_EMAIL).notify = "weekly"
        db.session.commit()
        location_id = location.id
    clock.advance(seconds=1)
    _publish(app, location_id, text="Meteen.")
    clock.advance(days=7)
    assert _jobs(app) == 1
    assert "Meteen." in _org_mails(app, "organisation_digest")[0].text


def test_the_digest_is_sent_through_real_smtp(app, clock, smtp, client):
    from wdp.mail.sender import send_due
    location_id, _contact = _weekly(app, clock)
    clock.advance(hours=1)
    _publish(app, location_id, score=4, text="Via echte mail.")
    clock.advance(days=7, minutes=1)
    assert _jobs(app) == 1
    with app.app_context():
        send_due()
    delivered = [(to, mail) for to, mail in smtp.received if ORG_EMAIL in to]
    subjects = [mail["Subject"] for _to, mail in delivered]
    assert subjects == ["1 nieuwe waardering deze week op WDP"]
    body = delivered[0][1].get_body(("plain",)).get_content()
    assert "Via echte mail." in body and LINK.search(body)
    assert delivered[0][1].get_body(("html",)).get_content().count("/organisatie/link/") == 1
    # The link as it arrived opens the page.
    path = LINK.search(body).group(1)
    assert follow_link(client, path.rsplit("/", 1)[1]).status_code == 303
    assert "Via echte mail." in checked_page(client, "/organisatie/").get_text()


# -- a new link ----------------------------------------------------------------------------------

def _ask(client, address):
    page = checked_page(client, "/organisatie/nieuwe-link")
    return client.post("/organisatie/nieuwe-link", data={
        "csrf_token": page.select_one("[name=csrf_token]")["value"], "email": address})


def test_new_link_goes_only_to_a_known_address_and_the_answer_is_the_same(app, client):
    rated_location(app, ratings=[(4, "Goed.", {})], name="WZC Zonnebloem")
    known = _ask(client, "  Info@Zonnebloem.TEST ")
    unknown = _ask(app.test_client(), "niemand@nergens.test")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    sent = checked_page(client, known.headers["Location"])
    assert sent.h1.get_text(strip=True) == "Kijk in de mailbox van je locatie"
    [mail] = _org_mails(app, "organisation_link")
    assert "WZC Zonnebloem" in mail.text and "Je vroeg een nieuwe link" in mail.text
    assert outbox(app, "niemand@nergens.test") == []
    [path] = LINK.findall(mail.text)
    assert follow_link(client, path.rsplit("/", 1)[1]).status_code == 303
    assert client.get("/organisatie/").status_code == 200


def test_new_link_not_for_a_location_that_does_not_participate(app, client):
    with app.app_context():
        make_location(email=ORG_EMAIL, participating=False)
        db.session.commit()
    assert _ask(client, ORG_EMAIL).status_code == 303
    assert outbox(app) == []


@pytest.mark.parametrize("address, message", [
    ("", "Vul het e-mailadres van je locatie in."),
    ("geen-adres", None), ("a@" + "b" * 300 + ".test", None), ("iemand@@voorbeeld.test", None)])
def test_new_link_bad_addresses_get_a_clear_message(app, client, address, message):
    response = _ask(client, address)
    assert response.status_code == 200
    from bs4 import BeautifulSoup
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.get_text().startswith("Fout:")
    summary = page.select_one(".error-summary a")
    assert summary["href"] == "#email"
    if message:
        assert summary.get_text(strip=True) == message
    assert outbox(app) == []


def test_new_link_mails_per_address_are_capped_per_hour(app, clock):
    rated_location(app, ratings=[(4, "Goed.", {})])
    limit = app.config["WDP_MAX_ORG_LINK_MAILS_PER_HOUR"]
    for _ in range(limit + 2):
        assert _ask(app.test_client(), ORG_EMAIL).status_code == 303
    assert len(_org_mails(app, "organisation_link")) == limit
    clock.advance(minutes=61)
    _ask(app.test_client(), ORG_EMAIL)
    assert len(_org_mails(app, "organisation_link")) == limit + 1


def test_new_link_per_ip_rate_limit(app):
    limiter.enabled = True
    configured = app.config["WDP_RATELIMIT_ORG_LINKS"]
    app.config["WDP_RATELIMIT_ORG_LINKS"] = "2 per hour"
    try:
        codes = [_ask(app.test_client(), f"persoon{n}@voorbeeld.test").status_code
                 for n in range(3)]
        page_still_opens = app.test_client().get("/organisatie/nieuwe-link").status_code
    finally:
        limiter.enabled = False
        app.config["WDP_RATELIMIT_ORG_LINKS"] = configured
        limiter.reset()
    assert codes == [303, 303, 429]
    assert page_still_opens == 200


# -- a changed register address ------------------------------------------------------------------

def test_a_new_register_address_gets_a_link_and_the_old_one_loses_the_location(
        app, client, tmp_path):
    from tests.organisations.helpers import open_session
    sample = (DATA / "register_sample.csv").read_text(encoding="utf-8")
    first = tmp_path / "register.csv"
    first.write_text(sample, encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import-register", str(first)]).exit_code == 0
    with app.app_context():
        location = db.session.scalar(select(Location).where(Location.register_id == "KO-1001"))
        start_participation(location, date(2025, 1, 1))
        db.session.commit()
        location_id = location.id
    open_session(app, client, "info@kabouterhuis.example")
    assert client.get(f"/organisatie/locatie/{location_id}").status_code == 200
    changed = tmp_path / "register-2.csv"
    changed.write_text(sample.replace("info@kabouterhuis.example", "Directie@Kabouterhuis.example")
                       .replace("ibo@kapelle-op-den-bos.example", "ibo2@kapelle.example"),
                       encoding="utf-8")
    # A dry run mails nothing.
    assert runner.invoke(args=["import-register", str(changed), "--dry-run"]).exit_code == 0
    assert outbox(app) == []
    assert runner.invoke(args=["import-register", str(changed)]).exit_code == 0
    [mail] = outbox(app, "directie@kabouterhuis.example")  # contacts are lowercased
    assert mail.template == "organisation_link"
    assert "staat dit e-mailadres nu bij Kinderdagverblijf 't Kabouterhuis" in mail.text
    # KO-1003 does not participate: its new address gets nothing.
    assert outbox(app, "ibo2@kapelle.example") == []
    assert client.get(f"/organisatie/locatie/{location_id}").status_code == 404
    # Importing the same file again mails nothing more.
    assert runner.invoke(args=["import-register", str(changed)]).exit_code == 0
    assert len(outbox(app)) == 1


def test_a_contact_made_by_another_process_meanwhile_is_taken_not_a_failure(app, monkeypatch):
    """Two publications for a new address at once: the second insert meets the unique key."""
    from wdp.organisations import access
    with app.app_context():
        first = access.contact_for(ORG_EMAIL)
        db.session.commit()
        first_id = first.id
        db.session.expunge_all()
        real_scalar = db.session.scalar
        calls = []

        def scalar_missing_once(statement, *args, **kwargs):
            calls.append(statement)
            # The other process's row is not seen yet by this one's first look.
            return None if len(calls) == 1 else real_scalar(statement, *args, **kwargs)

        monkeypatch.setattr(db.session, "scalar", scalar_missing_once)
        contact = access.contact_for(ORG_EMAIL.upper())
        monkeypatch.undo()
        assert contact.id == first_id and len(calls) == 2
        db.session.commit()  # the transaction goes on after the savepoint
        assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 1
