"""Forms of the organisation side: open the link, ask for a new link, mail settings, revoke a link."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, TextAreaField

from wdp.forms import BaseForm, Choice, PlainText, RadioAnswer, Required
from wdp.rating_form.forms import normalised_email

NOTIFY_CHOICES = (("each", _l("Eén mail per waardering")),
                  ("weekly", _l("Eén mail per week met alle nieuwe waarderingen")))


class ButtonForm(BaseForm):
    """A page with one button (CSRF only)."""


class NewLinkForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul het e-mailadres van je locatie in."))])

    def validate_email(self, field):
        field.data = normalised_email(field.data)


class NotifyForm(BaseForm):
    notify = RadioAnswer(choices=NOTIFY_CHOICES, validators=[
        Required(_l("Kies hoe vaak je een mail wilt krijgen.")),
        Choice(_l("Kies hoe vaak je een mail wilt krijgen."))])


class RevokeForm(BaseForm):
    reason = TextAreaField(validators=[
        Required(_l("Schrijf waarom je de link intrekt.")), PlainText(500)])
