"""The decision form of the item page: one form class, four HTML forms, checked per decision."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError

from wdp.forms import BaseForm, PlainText, clean_text
from wdp.moderation.decisions import DECISIONS

MESSAGE_LIMIT = 2000


class ReasonChoices(SelectMultipleField):
    """Checkboxes; the error summary links to the first one, as for radios."""

    is_radio = True

    def pre_validate(self, form):
        pass  # checked in DecisionForm.validate_reasons with a message that says what to do


class DecisionForm(BaseForm):
    #: sent by the button that was pressed; its target on the page is the decisions heading
    decision = StringField()
    reasons = ReasonChoices(choices=[])
    reject_message = TextAreaField()
    changes_message = TextAreaField()
    signal_note = TextAreaField()

    def set_reasons(self, reasons):
        self.reasons.choices = [(reason.key, reason.label_nl) for reason in reasons]

    def validate_decision(self, field):
        if field.data not in {str(value) for value in DECISIONS}:
            raise ValidationError(_l("Kies een van de beslissingen."))

    def _applies(self, decision):
        return self.decision.data == decision

    def validate_reasons(self, field):
        if not self._applies("rejected"):
            return
        if not field.data:
            raise ValidationError(_l("Kies minstens één reden uit de gedragscode."))
        known = {value for value, _label in field.choices}
        if not set(field.data) <= known:
            raise ValidationError(_l("Kies alleen redenen uit de lijst."))

    def _message(self, field, decision, empty):
        if not self._applies(decision):
            return
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(empty)
        PlainText(MESSAGE_LIMIT)(self, field)

    def validate_reject_message(self, field):
        self._message(field, "rejected", _l("Schrijf een bericht aan de indiener."))

    def validate_changes_message(self, field):
        self._message(field, "changes_requested",
                      _l("Schrijf wat de indiener moet aanpassen."))

    def validate_signal_note(self, field):
        self._message(field, "signalled", _l("Schrijf voor het agentschap waarom je dit signaleert."))


class NextForm(BaseForm):
    """The "Volgende" buttons: only the CSRF token."""
