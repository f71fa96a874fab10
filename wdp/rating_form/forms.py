"""The forms of the rating steps: one question each, validated on the server."""
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import ValidationError

from wdp.forms import BaseForm, Choice, PlainText, RadioAnswer, Required, clean_text
from wdp.rating_form.scale import SCORE_WORDS

#: the scale, always in this order: best first, then "I don't know" after a divider
SCALE_CHOICES = [(str(s), SCORE_WORDS[s]) for s in (5, 4, 3, 2, 1)]
UNKNOWN = "0"

#: domains of throwaway mailboxes: a confirmation there proves nothing
DISPOSABLE_DOMAINS = frozenset({
    "mailinator.com", "guerrillamail.com", "10minutemail.com", "temp-mail.org",
    "yopmail.com", "trashmail.com", "sharklasers.com", "getnada.com", "dispostable.com",
    "maildrop.cc", "throwawaymail.com", "fakeinbox.com", "tempmail.com", "mohmal.com",
})


class RoleForm(BaseForm):
    role = RadioAnswer(validators=[
        Required(_l("Kies wie je bent.")), Choice(_l("Kies wie je bent."))])

    def set_choices(self, options):
        self.role.choices = [(value, label) for value, label, _hint in options]


class ThemeForm(BaseForm):
    score = RadioAnswer(
        choices=[*SCALE_CHOICES, (UNKNOWN, _l("Ik weet het niet of het past niet"))],
        validators=[
            Required(_l("Kies een antwoord. Weet je het niet? Kies dan „Ik weet het niet "
                        "of het past niet”.")),
            Choice(_l("Kies een van de antwoorden."))])
    text = TextAreaField()

    def validate_text(self, field):
        PlainText(current_app.config["WDP_THEME_TEXT_LIMIT"])(self, field)


class OverallForm(BaseForm):
    score = RadioAnswer(choices=SCALE_CHOICES, validators=[
        Required(_l("Kies hoe tevreden je in het algemeen bent.")),
        Choice(_l("Kies een van de antwoorden."))])


class ExperienceForm(BaseForm):
    text = TextAreaField()

    def validate_text(self, field):
        PlainText(current_app.config["WDP_EXPERIENCE_TEXT_LIMIT"])(self, field)


class EmailForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul je e-mailadres in."))])
    agree = BooleanField(validators=[Required(_l(
        "Zet een vinkje als je akkoord gaat met de gedragscode en de privacyverklaring."))])
    #: a honeypot: hidden from people and screen readers, filled in only by robots
    website = StringField()

    def validate_email(self, field):
        field.data = normalised_email(field.data)


class ChangeEmailForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul je e-mailadres in."))])

    def validate_email(self, field):
        field.data = normalised_email(field.data)


class ConfirmForm(BaseForm):
    """One button: a POST, so a mail scanner that opens the link confirms nothing."""


class StopForm(BaseForm):
    """Stop and delete the draft."""


class SubmitForm(BaseForm):
    """Send the checked answers."""


#: the answers to "may it go online as soon as the editors approve it?"
CONSENT_YES, CONSENT_NO = "yes", "no"


class ConsentSubmitForm(SubmitForm):
    """Send the checked answers with the publication consent (the "consent at submission" policy)."""

    publish_consent = RadioAnswer(
        choices=[(CONSENT_YES, _l("Ja, zet ze online zodra de redactie ze goedkeurt")),
                 (CONSENT_NO, _l("Nee, ik kies zelf na de goedkeuring"))],
        validators=[Required(_l("Kies of je waardering online mag komen zodra de redactie ze "
                                "goedkeurt.")),
                    Choice(_l("Kies of je waardering online mag komen zodra de redactie ze "
                              "goedkeurt."))])

    @property
    def consent(self):
        """The answer as stored on the draft: True or False."""
        return self.publish_consent.data == CONSENT_YES


def normalised_email(value):
    """The address as we store it, or a ValidationError that says what to do."""
    text = clean_text(value)
    if len(text) > 254:
        raise ValidationError(_l("Je e-mailadres is te lang. Kijk na of het klopt."))
    try:
        result = validate_email(
            text, check_deliverability=current_app.config["WDP_EMAIL_CHECK_DNS"],
            test_environment=current_app.testing)
    except EmailNotValidError:
        raise ValidationError(_l(
            "Vul een e-mailadres in zoals naam@voorbeeld.be.")) from None
    if result.domain.lower() in DISPOSABLE_DOMAINS:
        raise ValidationError(_l(
            "Gebruik een e-mailadres dat je zelf leest. Een wegwerpadres kan niet."))
    return result.normalized.lower()
