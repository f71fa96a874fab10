"""Queueing mail: an outbox row holds a template, its language and its values; it is rendered when sent."""
import json
import uuid
from typing import NamedTuple
from urllib.parse import urlsplit

from email_validator import validate_email
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import insert

from wdp import LANGUAGES
from wdp.clock import now
from wdp.extensions import db
from wdp.mail.models import PENDING, OutboxMessage


def queue_mail(recipient, template, language, **context):
    """Add a mail to the outbox in the caller's transaction; the caller commits.

    The context must be plain JSON values (str, int, bool, None, lists and dicts): the
    sender renders templates/mail/<template>.subject.txt, .txt and .html from it later, in
    the language. Raises ValueError (EmailNotValidError) for an address that cannot be
    mailed and TypeError for a value that cannot be stored, so a mistake fails the change
    that causes the mail, not the sender.
    """
    message = OutboxMessage(**_row(recipient, template, language, context))
    db.session.add(message)
    return message


def queue_mails(mails, addresses_checked=False):
    """Add many mails with one INSERT (the jobs' reminders); mails are (recipient, template,
    language, context) tuples. The caller commits. Returns how many were queued.

    addresses_checked=True skips the address check for addresses that were checked when
    they were stored (a rating's confirmed address): most of the cost of a big batch.
    """
    rows = [_row(*mail, address_checked=addresses_checked) for mail in mails]
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    return len(rows)


def _row(recipient, template, language, context, address_checked=False):
    if language not in LANGUAGES:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    _check_template(template)
    # The round trip refuses what JSON cannot hold and stores exactly what the sender reads.
    context = json.loads(json.dumps(context))
    moment = now()
    return {"message_id": new_message_id(),
            "recipient": recipient if address_checked else checked_address(recipient),
            "language": language, "template": template, "context": context,
            "subject": "", "body_text": "", "body_html": "", "status": PENDING,
            "attempts": 0, "next_attempt_at": moment, "created_at": moment, "last_error": ""}


def _check_template(template):
    # Compiled once per process and cached by Jinja: a typo fails here, in the change.
    current_app.jinja_env.get_template(f"mail/{template}.txt")


class Rendered(NamedTuple):
    subject: str
    text: str
    html: str


def rendered(message):
    """The subject, plain text and HTML of an outbox row: rendered from its context while
    it waits, as stored once sent (the bodies are erased then)."""
    if message.context is None:
        return Rendered(message.subject, message.body_text, message.body_html)
    return Rendered(*render_mail(message.template, message.language, **message.context))


def render_mail(template, language, **context):
    """Return the subject, plain text and HTML of a mail template in one language."""
    context = {"base_url": current_app.config["WDP_BASE_URL"], "language": language, **context}
    with force_locale(language):
        # A subject is one header line, whatever the template's whitespace.
        subject = " ".join(_render(f"mail/{template}.subject.txt", context).split())
        context["subject"] = subject
        text = _render(f"mail/{template}.txt", context).strip() + "\n"
        html = _render(f"mail/{template}.html", context)
    return subject, text, html


def _render(name, context):
    # Not render_template(): its context processors read the request, and mails are
    # also queued from the command line and from jobs.
    return current_app.jinja_env.get_template(name).render(context)


def new_message_id():
    """A unique Message-ID under the site's own host name, stored so a resend keeps it."""
    host = urlsplit(current_app.config["WDP_BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def checked_address(recipient):
    """The normalised address, or ValueError: a bad address fails the change, not the sender."""
    # Syntax only (no DNS here); tests may use the reserved .test domain.
    return validate_email(recipient, check_deliverability=False,
                          test_environment=current_app.testing).normalized


def link_to(endpoint, **values):
    """An absolute link for a mail, under WDP_BASE_URL; works in requests, jobs and the CLI."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["WDP_BASE_URL"] + path
