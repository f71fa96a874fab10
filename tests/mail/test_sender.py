"""send_due and the mail commands against a real SMTP server on loopback (aiosmtpd)."""
import os
import signal
import threading
import time
from datetime import datetime, timedelta

import pytest

from tests.smtp import SmtpServer  # noqa: F401  (fixtures smtp and smtp_down: conftest)
from wdp.extensions import db
from wdp.mail.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from wdp.mail.outbox import queue_mail
from wdp.mail.sender import send_due, send_until_stopped

ADDRESS = "jan.peeters@voorbeeld.test"
NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def clock(app):
    """Set the one clock; clock(minutes=5) moves it on."""
    app.config["WDP_NOW"] = NOW.isoformat()

    def move(**delta):
        moment = datetime.fromisoformat(app.config["WDP_NOW"]) + timedelta(**delta)
        app.config["WDP_NOW"] = moment.isoformat()
        return moment
    return move


@pytest.fixture
def config(app):
    """Change settings for one test only."""
    saved = {}

    def change(**values):
        for key, value in values.items():
            saved.setdefault(key, app.config[key])
            app.config[key] = value
    yield change
    app.config.update(saved)


def queue(language="nl", address=ADDRESS):
    message = queue_mail(address, "test_message", language)
    db.session.commit()
    return message.id


def stored(message_id):
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def part(mail, subtype):
    return mail.get_body(preferencelist=(subtype,)).get_content()


def test_a_queued_mail_arrives_with_both_parts_and_its_message_id(app_ctx, clock, smtp):
    message_id = queue()

    counts = send_due()

    assert (counts.sent, counts.retry, counts.failed) == (1, 0, 0)
    [(recipients, mail)] = smtp.received
    assert recipients == [ADDRESS] and mail["To"] == ADDRESS
    assert mail["Subject"] == "Testbericht van WDP"
    assert mail["From"] == "WDP <noreply@wdp.test>"
    assert mail["Message-ID"] == stored(message_id).message_id
    assert mail["Content-Language"] == "nl" and mail["Auto-Submitted"] == "auto-generated"
    assert "Dit is een testbericht van WDP." in part(mail, "plain")
    html = part(mail, "html")
    assert '<html lang="nl">' in html and "Dit is een testbericht van WDP." in html


def test_a_mail_goes_out_in_the_recipients_language(app_ctx, clock, smtp):
    queue(language="fr")

    send_due()

    [(_, mail)] = smtp.received
    assert mail["Content-Language"] == "fr"
    assert '<html lang="fr">' in part(mail, "html")


def test_a_sent_mail_keeps_subject_template_and_times_but_not_bodies_or_address(
        app_ctx, clock, smtp):
    message_id = queue()

    send_due()

    row = stored(message_id)
    assert (row.status, row.sent_at, row.attempts) == (SENT, NOW, 1)
    assert (row.recipient, row.body_text, row.body_html, row.context) == ("", "", "", None)
    assert row.subject == "Testbericht van WDP"
    assert (row.template, row.language) == ("test_message", "nl")
    assert row.message_id == smtp.received[0][1]["Message-ID"] and row.created_at == NOW
    assert row.lease_until is None and row.last_error == ""


def test_server_down_nothing_is_lost_and_the_mail_goes_out_once_it_is_back(
        app, app_ctx, clock, smtp_down):
    message_id = queue()

    counts = send_due()

    row = stored(message_id)
    assert (counts.sent, counts.retry) == (0, 1)
    assert (row.status, row.attempts, row.recipient) == (PENDING, 1, ADDRESS)
    base = app.config["WDP_MAIL_RETRY_BASE_SECONDS"]
    assert row.next_attempt_at == NOW + timedelta(seconds=base * 2)
    assert "ConnectionRefusedError" in row.last_error and "@" not in row.last_error

    smtp_down.start()
    assert send_due().sent == 0, "not due yet"
    clock(seconds=base * 2)
    assert send_due().sent == 1
    assert send_due().sent == 0
    assert smtp_down.message_ids() == [row.message_id]
    assert stored(message_id).status == SENT


def test_a_451_reply_retries_with_exponential_backoff(app, app_ctx, clock, smtp):
    message_id = queue()
    smtp.reply_to_data = "451 4.3.0 Mail server temporarily rejected message"
    base = app.config["WDP_MAIL_RETRY_BASE_SECONDS"]

    assert send_due().retry == 1
    first = stored(message_id)
    assert (first.status, first.attempts) == (PENDING, 1)
    assert first.next_attempt_at == NOW + timedelta(seconds=2 * base)
    assert first.last_error.startswith("451 4.3.0")

    later = clock(seconds=2 * base)
    assert send_due().retry == 1
    second = stored(message_id)
    assert second.attempts == 2 and second.next_attempt_at == later + timedelta(seconds=4 * base)

    smtp.reply_to_data = "250 OK"
    clock(seconds=4 * base)
    assert send_due().sent == 1 and len(smtp.received) == 1


def test_a_550_reply_fails_at_once_with_an_error_without_the_address(app_ctx, clock, smtp):
    message_id = queue(address="Jan.Peeters@Voorbeeld.test")
    smtp.reply_to_rcpt = "550 5.1.1 <Jan.Peeters@voorbeeld.test>: Recipient address rejected"

    counts = send_due()

    row = stored(message_id)
    assert (counts.sent, counts.retry, counts.failed) == (0, 0, 1)
    assert (row.status, row.attempts) == (FAILED, 1)
    assert row.last_error == "550 5.1.1 <address>: Recipient address rejected"
    clock(days=2)
    assert send_due().failed == 0 and smtp.received == []


def test_a_mail_fails_after_the_last_allowed_try(app_ctx, clock, smtp, config):
    config(WDP_MAIL_MAX_ATTEMPTS=2)
    message_id = queue()
    smtp.reply_to_data = "421 4.7.0 Try again later"

    assert send_due().retry == 1
    clock(hours=1)
    assert send_due().failed == 1
    row = stored(message_id)
    assert (row.status, row.attempts) == (FAILED, 2) and row.last_error.startswith("421")


def test_a_server_that_closes_the_connection_loses_no_mail(app_ctx, clock, smtp):
    # smtplib closes the connection after a 421 reply: the rest of the batch waits too.
    ids = [queue() for _ in range(3)]
    smtp.reply_to_data = "421 4.7.0 Closing connection"

    counts = send_due()

    assert (counts.sent, counts.retry) == (0, 3)
    assert all(stored(i).status == PENDING for i in ids)
    smtp.reply_to_data = "250 OK"
    clock(hours=1)
    assert send_due().sent == 3
    assert sorted(smtp.message_ids()) == sorted(stored(i).message_id for i in ids)


def test_a_sending_row_past_its_lease_is_reclaimed_and_sent(app_ctx, clock, smtp):
    crashed, busy = queue(), queue()
    for message_id, lease_until in ((crashed, NOW - timedelta(minutes=1)),
                                    (busy, NOW + timedelta(minutes=1))):
        row = stored(message_id)
        row.status, row.attempts, row.lease_until = SENDING, 1, lease_until
    db.session.commit()

    counts = send_due()

    assert (counts.reclaimed, counts.sent) == (1, 1)
    assert smtp.message_ids() == [stored(crashed).message_id]
    assert stored(crashed).attempts == 2
    assert stored(busy).status == SENDING, "a running lease is left alone"


def test_a_batch_that_cannot_finish_within_its_lease_gives_the_mails_back(
        app_ctx, clock, smtp, config):
    config(WDP_MAIL_LEASE_SECONDS=5, MAIL_TIMEOUT=10)
    message_id = queue()

    counts = send_due()

    row = stored(message_id)
    assert (counts.sent, counts.retry, counts.failed) == (0, 0, 0)
    assert (row.status, row.attempts, row.lease_until) == (PENDING, 0, None)
    assert smtp.received == []


def test_two_senders_at_once_deliver_every_mail_exactly_once(app, app_ctx, clock, smtp):
    ids = [queue() for _ in range(24)]
    smtp.delay = 0.01  # long enough for the senders' rounds to overlap
    start = threading.Barrier(2)
    sent_by, errors = [0, 0], []

    def sender(number):
        try:
            with app.app_context():
                start.wait()
                while (counts := send_due(limit=3)).sent:
                    sent_by[number] += counts.sent
                db.session.remove()
        except Exception as error:  # reported by the test thread below
            errors.append(error)

    threads = [threading.Thread(target=sender, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    message_ids = smtp.message_ids()
    assert len(message_ids) == len(set(message_ids)) == 24
    assert set(message_ids) == {stored(i).message_id for i in ids}
    assert all(stored(i).status == SENT for i in ids)
    assert sum(sent_by) == 24 and min(sent_by) > 0, "both senders took part"


def test_log_lines_hold_no_address_and_no_body(app_ctx, clock, smtp, caplog):
    queue()
    queue(address="piet@voorbeeld.test")

    with caplog.at_level("DEBUG"):
        send_due()
        smtp.reply_to_rcpt = "550 5.1.1 <piet@voorbeeld.test> unknown"
        queue(address="piet@voorbeeld.test")
        send_due()

    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("wdp"))
    assert ours.count("outbox") == 3 and "550 5.1.1 <address> unknown" in ours
    assert "@" not in ours and "testbericht" not in ours.lower()


def test_send_mail_command_sends_what_is_due(app, app_ctx, clock, smtp):
    queue()
    queue()

    result = app.test_cli_runner().invoke(args=["send-mail", "--limit", "5"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2, retry later 0, failed 0"
    assert len(smtp.received) == 2


def test_send_mail_loop_sends_mail_queued_while_it_runs_and_stops_on_sigterm(
        app, app_ctx, clock, smtp):
    def queue_then_stop():
        with app.app_context():
            queue()
            db.session.remove()
        deadline = time.monotonic() + 10
        while not smtp.received and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGTERM)  # stops the loop, or the test fails below

    handler_before = signal.getsignal(signal.SIGTERM)
    helper = threading.Thread(target=queue_then_stop)
    helper.start()
    result = app.test_cli_runner().invoke(args=["send-mail", "--loop", "--interval", "0.1"])
    helper.join()

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 1, retry later 0, failed 0"
    assert len(smtp.received) == 1
    assert signal.getsignal(signal.SIGTERM) == handler_before, "the old handler is back"


def test_send_until_stopped_goes_again_at_once_after_a_full_batch(app, app_ctx, clock, smtp):
    for _ in range(5):
        queue()
    stop, rounds = threading.Event(), []

    def report(counts):
        rounds.append(counts.sent)
        if counts.sent < 2:
            stop.set()

    started = time.monotonic()
    send_until_stopped(stop, limit=2, interval=30, report=report)

    assert rounds == [2, 2, 1] and time.monotonic() - started < 10
    assert len(smtp.received) == 5


def test_send_test_mail_command_reports_an_accepted_mail(app, app_ctx, clock, smtp):
    result = app.test_cli_runner().invoke(
        args=["send-test-mail", ADDRESS, "--language", "fr"])

    assert result.exit_code == 0, result.output
    assert "accepted the test mail" in result.output
    [(recipients, mail)] = smtp.received
    assert recipients == [ADDRESS] and mail["Content-Language"] == "fr"


def test_send_test_mail_command_fails_when_the_server_is_down(app, app_ctx, clock, smtp_down):
    result = app.test_cli_runner().invoke(args=["send-test-mail", ADDRESS])

    assert result.exit_code == 1
    assert "not sent: ConnectionRefusedError" in result.output and ADDRESS not in result.output


def test_send_test_mail_command_refuses_a_bad_address(app, app_ctx, clock, smtp):
    result = app.test_cli_runner().invoke(args=["send-test-mail", "geen-adres"])

    assert result.exit_code == 1 and "@-sign" in result.output
    assert smtp.received == []


def test_a_mail_that_cannot_be_rendered_fails_alone_and_the_others_go_out(app_ctx, clock, smtp):
    broken = OutboxMessage(message_id="<broken@wdp.test>", recipient=ADDRESS, language="nl",
                           template="no_such_mail", context={})
    db.session.add(broken)
    db.session.commit()
    good = queue()

    counts = send_due()

    assert (counts.sent, counts.failed) == (1, 1)
    assert stored(broken.id).status == FAILED and "no_such_mail" in stored(broken.id).last_error
    assert stored(good).status == SENT and len(smtp.received) == 1


def test_a_row_queued_with_rendered_bodies_is_sent_as_stored(app_ctx, clock, smtp):
    db.session.add(OutboxMessage(message_id="<old@wdp.test>", recipient=ADDRESS, language="nl",
                                 template="test_message", subject="Oud onderwerp",
                                 body_text="Oude tekst", body_html="<p>Oude tekst</p>"))
    db.session.commit()

    send_due()

    [(_, mail)] = smtp.received
    assert mail["Subject"] == "Oud onderwerp" and "Oude tekst" in part(mail, "plain")
