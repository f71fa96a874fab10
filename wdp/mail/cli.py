"""CLI commands for mail: send-mail (once or as a loop) and send-test-mail."""
import signal
import threading
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from wdp import LANGUAGES
from wdp.extensions import db
from wdp.mail.models import PENDING, SENT
from wdp.mail.outbox import queue_mail
from wdp.mail.sender import send_due, send_until_stopped


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running; stop with SIGTERM or Ctrl-C.")
@click.option("--interval", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between two rounds in a loop.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="At most this many mails per round.")
@with_appcontext
def send_mail_command(loop, interval, limit):
    """Send the mails in the outbox that are due, retries included."""
    if not loop:
        click.echo(str(send_due(limit)))
        return
    stop = threading.Event()
    with _stop_on_signals(stop):
        send_until_stopped(stop, limit, interval, report=_echo_busy_round)


def _echo_busy_round(counts):
    if counts.sent or counts.retry or counts.failed:
        click.echo(str(counts))


@contextmanager
def _stop_on_signals(stop):
    """Let SIGTERM and Ctrl-C end the loop after the round, so every outcome is stored."""
    previous = {signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@click.command("send-test-mail")
@click.argument("address")
@click.option("--language", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@with_appcontext
def send_test_mail_command(address, language):
    """Queue a test mail to ADDRESS and send what is due, to check the SMTP settings."""
    try:
        message = queue_mail(address, "test_message", language)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(str(send_due()))
    if message.status == SENT:
        click.echo("The SMTP server accepted the test mail.")
    elif message.status == PENDING and not message.last_error:
        click.echo("The test mail waits behind other mails; run send-mail.")
    else:
        raise click.ClickException(f"The test mail was not sent: {message.last_error}")
