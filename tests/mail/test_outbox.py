"""queue_mail: rendering in the recipient's language, the stable Message-ID, one transaction."""
import re
from datetime import datetime

import pytest
from jinja2 import TemplateNotFound
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from wdp.extensions import db
from wdp.locations.models import Organisation
from wdp.mail.models import PENDING, OutboxMessage
from wdp.mail.outbox import queue_mail, queue_mails, rendered

ADDRESS = "jan.peeters@voorbeeld.test"


@pytest.fixture(autouse=True)
def _fixed_clock(app):
    app.config["WDP_NOW"] = "2026-11-23T10:00:00"


def outbox_count():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queue_mail_stores_the_values_and_renders_subject_text_and_html_in_dutch(app, app_ctx):
    message = queue_mail(ADDRESS, "test_message", "nl")
    db.session.commit()

    assert message.template == "test_message" and message.language == "nl"
    assert message.recipient == ADDRESS and message.context == {}
    assert (message.subject, message.body_text, message.body_html) == ("", "", ""), \
        "nothing is rendered while the request waits"
    mail = rendered(message)
    assert mail.subject == "Testbericht van WDP"
    assert mail.text.startswith("Hallo,\n\nDit is een testbericht van WDP.")
    assert "Je hoeft niets te doen." in mail.text
    help_line = f"Bel {app.config['WDP_HELP_PHONE']} of mail naar {app.config['WDP_HELP_EMAIL']}."
    assert help_line in mail.text and "http://wdp.test" in mail.text
    assert "<" not in mail.text, "the plain-text part holds no markup"
    assert '<html lang="nl">' in mail.html
    assert "<title>Testbericht van WDP</title>" in mail.html
    assert "Dit is een testbericht van WDP." in mail.html and help_line in mail.html
    assert (message.status, message.attempts, message.last_error) == (PENDING, 0, "")
    assert message.next_attempt_at == datetime(2026, 11, 23, 10, 0)
    assert message.sent_at is None and message.lease_until is None


def test_the_recipients_language_is_stored_and_marks_the_html(app_ctx):
    french = queue_mail(ADDRESS, "test_message", "fr")
    unknown = queue_mail(ADDRESS, "test_message", "de")

    assert french.language == "fr" and '<html lang="fr">' in rendered(french).html
    assert unknown.language == "nl" and '<html lang="nl">' in rendered(unknown).html


def test_the_values_are_stored_as_json_and_read_back_by_the_renderer(app_ctx):
    message = queue_mail(ADDRESS, "confirm_rating", "nl", link="http://wdp.test/bevestig/abc",
                         reference="W-ABC123", location_name="De Linde", days=7,
                         status_link="http://wdp.test/mijn-waardering/xyz")
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(OutboxMessage, message.id)
    assert stored.context["reference"] == "W-ABC123" and stored.context["days"] == 7
    mail = rendered(stored)
    assert "W-ABC123" in mail.subject and "http://wdp.test/bevestig/abc" in mail.text


def test_a_value_json_cannot_hold_fails_the_change_not_the_sender(app_ctx):
    with pytest.raises(TypeError):
        queue_mail(ADDRESS, "test_message", "nl", when=datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        queue_mail(ADDRESS, "test_message", "nl", place=Organisation(name="X"))

    assert outbox_count() == 0


def test_an_unknown_template_fails_the_change(app_ctx):
    with pytest.raises(TemplateNotFound):
        queue_mail(ADDRESS, "no_such_mail", "nl")


def test_queue_mails_adds_many_rows_with_one_insert(app_ctx):
    count = queue_mails([(f"p{i}@voorbeeld.test", "test_message", "fr", {}) for i in range(50)])
    db.session.commit()

    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert count == 50 and len(rows) == 50
    assert {row.language for row in rows} == {"fr"} and len({row.message_id for row in rows}) == 50
    assert rows[0].status == PENDING and rows[0].next_attempt_at == datetime(2026, 11, 23, 10, 0)
    assert rendered(rows[7]).subject == "Message de test de WDP"
    with pytest.raises(ValueError):
        queue_mails([("geen-adres", "test_message", "nl", {})])


def test_a_row_queued_before_send_time_rendering_keeps_its_bodies(app_ctx):
    db.session.add(OutboxMessage(message_id="<old@wdp.test>", recipient=ADDRESS, language="nl",
                                 template="test_message", subject="Oud", body_text="tekst",
                                 body_html="<p>html</p>"))
    db.session.commit()

    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.context is None and rendered(row) == ("Oud", "tekst", "<p>html</p>")


def test_every_mail_has_its_own_message_id_on_the_sites_host(app_ctx):
    first = queue_mail(ADDRESS, "test_message", "nl")
    second = queue_mail(ADDRESS, "test_message", "nl")

    assert re.fullmatch(r"<[0-9a-f]{32}@wdp\.test>", first.message_id)
    assert first.message_id != second.message_id


def test_the_outbox_row_is_committed_with_the_change_that_caused_it(app_ctx):
    db.session.add(Organisation(name="Zorggroep Noord"))
    queue_mail(ADDRESS, "test_message", "nl")
    db.session.commit()

    assert outbox_count() == 1


def test_the_outbox_row_is_rolled_back_with_a_failing_change(app_ctx):
    db.session.add(Organisation(name="Zorggroep Noord"))
    db.session.commit()

    db.session.add(Organisation(name="Zorggroep Noord"))  # the name is unique
    queue_mail(ADDRESS, "test_message", "nl")
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    assert outbox_count() == 0


@pytest.mark.parametrize("address", ["geen-adres", "jan@voorbeeld.test\r\nBcc: x@y.test",
                                     "jan peeters@voorbeeld.test", ""])
def test_an_address_that_cannot_be_mailed_is_refused(app_ctx, address):
    with pytest.raises(ValueError):
        queue_mail(address, "test_message", "nl")

    assert outbox_count() == 0
