"""Decisions after the first one: withdrawing an approval, and keeping or removing a reported rating."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

from wdp.clock import now
from wdp.extensions import db
from wdp.forms import BaseForm, PlainText, clean_text
from wdp.locations import page_cache
from wdp.mail.outbox import queue_mail
from wdp.moderation import queries
from wdp.moderation.forms import MESSAGE_LIMIT, ReasonChoices
from wdp.moderation.models import Report
from wdp.moderation.workflow import Status, transition
from wdp.publication.links import status_link


class WithdrawApprovalForm(BaseForm):
    reason = TextAreaField()

    def validate_reason(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Schrijf waarom je de goedkeuring intrekt."))
        PlainText(MESSAGE_LIMIT)(self, field)


class ReportDecisionForm(BaseForm):
    #: "keep" or "remove"
    outcome = StringField()
    remove_reasons = ReasonChoices(choices=[])
    remove_message = TextAreaField()

    def set_reasons(self, reasons):
        self.remove_reasons.choices = [(reason.key, reason.label_nl) for reason in reasons]

    def validate_outcome(self, field):
        if field.data not in ("keep", "remove"):
            raise ValidationError(_l("Kies of de waardering blijft staan of weg moet."))

    def validate_remove_reasons(self, field):
        if self.outcome.data != "remove":
            return
        if not field.data:
            raise ValidationError(_l("Kies minstens één reden uit de gedragscode."))
        if not set(field.data) <= {value for value, _label in field.choices}:
            raise ValidationError(_l("Kies alleen redenen uit de lijst."))

    def validate_remove_message(self, field):
        if self.outcome.data != "remove":
            return
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Schrijf een bericht aan de indiener."))
        PlainText(MESSAGE_LIMIT)(self, field)


def open_reports(rating):
    return db.session.scalars(select(Report).where(
        Report.rating_id == rating.id, Report.outcome.is_(None)).order_by(Report.id)).all()


def withdraw_approval(rating, editor, reason):
    """Reopen an approved rating for the editors, with the reason in its history."""
    transition(rating, Status.IN_MODERATION, actor_type="editor", actor_id=editor.id,
               message=reason)


def _close_reports(rating, editor, outcome):
    db.session.execute(update(Report).where(Report.rating_id == rating.id,
                                            Report.outcome.is_(None))
                       .values(outcome=outcome, handled_at=now(), handled_by_id=editor.id))


def keep_reported(rating, editor):
    """The reports did not hold: the rating stays online."""
    _close_reports(rating, editor, "kept")


def remove_reported(rating, editor, reasons, message):
    """Take a reported rating off the site and tell the submitter why (while we have the address)."""
    transition(rating, Status.REMOVED, actor_type="editor", actor_id=editor.id,
               reasons=reasons, message=message)
    _close_reports(rating, editor, "removed")
    page_cache.touch(rating.location_id)
    if rating.email:
        labels = queries.reasons_by_key()
        queue_mail(rating.email, "rating_removed", rating.language, message=message,
                   reasons=[labels[key].label(rating.language) for key in reasons],
                   reference=rating.reference, location_name=rating.location.name,
                   status_link=status_link(rating))
