"""The editors' forms of the response queue: a decision, and taking an approved response off."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from wdp.forms import BaseForm, PlainText, clean_text
from wdp.moderation.forms import MESSAGE_LIMIT, DecisionForm
from wdp.organisations.responses import DECISIONS

#: the editable start of the messages to the organisation
REJECT_START = _l("Bedankt voor je reactie. De redactie kan ze niet online zetten, omdat ze "
                  "niet past bij de gedragscode. Je mag een nieuwe reactie schrijven.")
CHANGES_START = _l("Bedankt voor je reactie. Wil je ze een beetje aanpassen? Dan kan ze online.")


class ResponseDecisionForm(DecisionForm):
    """The rating's decision form, with the response's decisions and messages to the
    organisation (no signal: a response is not about a user's care)."""

    def validate_decision(self, field):
        if field.data not in {str(value) for value in DECISIONS}:
            raise ValidationError(_l("Kies een van de beslissingen."))

    def validate_reject_message(self, field):
        self._message(field, "rejected", _l("Schrijf een bericht aan de organisatie."))

    def validate_changes_message(self, field):
        self._message(field, "changes_requested",
                      _l("Schrijf wat de organisatie moet aanpassen."))

    def validate_signal_note(self, field):
        pass


class TakeOffForm(BaseForm):
    """Take an approved response off the site: why, in a message to the organisation."""

    take_off_message = TextAreaField()

    def validate_take_off_message(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Schrijf aan de organisatie waarom de reactie van de site gaat."))
        PlainText(MESSAGE_LIMIT)(self, field)
