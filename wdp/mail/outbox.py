"""Queueing mail: a template rendered in the recipient's language becomes an outbox row."""
import uuid
from typing import NamedTuple
from urllib.parse import urlsplit

from email_validator import validate_email
from flask import current_app
from flask_babel import force_locale

from wdp import LANGUAGES
from wdp.extensions import db
from wdp.mail.models import OutboxMessage


def queue_mail(recipient, template, language, **context):
    """Add a mail to the outbox in the caller's transaction; the caller commits.

    Renders templates/mail/<template>.subject.txt, .txt and .html in the language.
    Raises ValueError (EmailNotValidError) for an address that cannot be mailed.
    """
    if language not in LANGUAGES:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, text, html = render_mail(template, language, **context)
    message = OutboxMessage(
        message_id=new_message_id(), recipient=checked_address(recipient), language=language,
        template=template, subject=subject, body_text=text, body_html=html)
    db.session.add(message)
    return message


class Rendered(NamedTuple):
    subject: str
    text: str
    html: str


def rendered(message):
    """The subject, plain text and HTML a queued outbox row will be sent with."""
    return Rendered(message.subject, message.body_text, message.body_html)


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
