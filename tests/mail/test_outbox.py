"""queue_mail: rendering in the recipient's language, the stable Message-ID, one transaction."""
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from wdp.extensions import db
from wdp.locations.models import Organisation
from wdp.mail.models import PENDING, OutboxMessage
from wdp.mail.outbox import queue_mail

ADDRESS = "jan.peeters@voorbeeld.test"


@pytest.fixture(autouse=True)
def _fixed_clock(app):
    app.config["WDP_NOW"] = "2026-11-23T10:00:00"


def outbox_count():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queue_mail_renders_subject_text_and_html_in_dutch(app, app_ctx):
    message = queue_mail(ADDRESS, "test_message", "nl")
    db.session.commit()

    assert message.subject == "Testbericht van WDP"
    assert message.template == "test_message" and message.language == "nl"
    assert message.recipient == ADDRESS
    assert message.body_text.startswith("Hallo,\n\nDit is een testbericht van WDP.")
    assert "Je hoeft niets te doen." in message.body_text
    help_line = f"Bel {app.config['WDP_HELP_PHONE']} of mail naar {app.config['WDP_HELP_EMAIL']}."
    assert help_line in message.body_text and "http://wdp.test" in message.body_text
    assert "<" not in message.body_text, "the plain-text part holds no markup"
    assert '<html lang="nl">' in message.body_html
    assert "<title>Testbericht van WDP</title>" in message.body_html
    assert "Dit is een testbericht van WDP." in message.body_html and help_line in message.body_html
    assert (message.status, message.attempts, message.last_error) == (PENDING, 0, "")
    assert message.next_attempt_at == datetime(2026, 11, 23, 10, 0)
    assert message.sent_at is None and message.lease_until is None


def test_the_recipients_language_is_stored_and_marks_the_html(app_ctx):
    french = queue_mail(ADDRESS, "test_message", "fr")
    unknown = queue_mail(ADDRESS, "test_message", "de")

    assert french.language == "fr" and '<html lang="fr">' in french.body_html
    assert unknown.language == "nl" and '<html lang="nl">' in unknown.body_html


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
