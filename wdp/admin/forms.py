"""The forms of the admin pages, with messages that say what to do."""
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from wdp.editors.models import ADMIN, EDITOR
from wdp.forms import BaseForm, Choice, PlainText, RadioAnswer, Required
from wdp.publication.policy import POLICIES

NAME_LIMIT = 200
REASON_LIMIT = 200
TEMPLATE_LIMIT = 2000
THEME_LIMITS = {"title": 120, "question_self": 300, "question_other": 300, "help": 500}
LANGUAGE_NAMES = {"nl": _l("Nederlands"), "fr": _l("Frans"), "en": _l("Engels")}


def role_choices():
    return [(EDITOR, _l("Redacteur")), (ADMIN, _l("Beheerder"))]


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class SwitchForm(BaseForm):
    """A button that switches something on or off: the state it asks for travels with it, so
    a double submit (or two admins at once) cannot switch it back."""

    to = HiddenField()

    def wanted(self):
        """True (on), False (off), or None when the post is not a valid switch."""
        if not self.validate_on_submit():
            return None
        return {"aan": True, "uit": False}.get(self.to.data)


class NewEditorForm(BaseForm):
    name = StringField(validators=[Required(_l("Vul de naam in.")), PlainText(NAME_LIMIT)])
    email = EmailField(validators=[Required(_l("Vul het e-mailadres in."))])
    role = RadioAnswer(choices=role_choices(),
                       validators=[Required(_l("Kies een rol.")), Choice(_l("Kies een rol."))])

    def validate_email(self, field):
        try:
            field.data = validate_email(field.data.strip(), check_deliverability=False,
                                        test_environment=current_app.testing).normalized
        except EmailNotValidError as error:
            raise ValidationError(_l(
                "Vul een e-mailadres in zoals naam@voorbeeld.be.")) from error


class RoleForm(BaseForm):
    role = RadioAnswer(choices=role_choices(),
                       validators=[Required(_l("Kies een rol.")), Choice(_l("Kies een rol."))])


class PublicationPolicyForm(BaseForm):
    policy = RadioAnswer(choices=list(POLICIES.items()), validators=[
        Required(_l("Kies hoe een waardering online komt.")),
        Choice(_l("Kies hoe een waardering online komt."))])


class MoveForm(BaseForm):
    direction = HiddenField()


def _label_field(language_name):
    return StringField(validators=[
        Required(_l("Vul de omschrijving in het %(language)s in.", language=language_name)),
        PlainText(REASON_LIMIT)])


class ReasonForm(BaseForm):
    label_nl = _label_field(LANGUAGE_NAMES["nl"])
    label_fr = _label_field(LANGUAGE_NAMES["fr"])
    label_en = _label_field(LANGUAGE_NAMES["en"])

    def labels(self):
        return {lang: getattr(self, f"label_{lang}").data for lang in ("nl", "fr", "en")}


class TemplateForm(BaseForm):
    body = TextAreaField(validators=[Required(_l("Vul de tekst van het bericht in.")),
                                     PlainText(TEMPLATE_LIMIT)])


def _theme_field(message, limit):
    return TextAreaField(validators=[Required(message), PlainText(limit)])


def _wording(message, limit):
    return TextAreaField(validators=[Required(message), PlainText(limit)])


def _theme_fields(language_name):
    """The four texts of a theme in one language."""
    return (
        _wording(_l("Vul de titel in het %(language)s in.", language=language_name),
                 THEME_LIMITS["title"]),
        _wording(_l("Vul de vraag aan de gebruiker in het %(language)s in.",
                    language=language_name), THEME_LIMITS["question_self"]),
        _wording(_l("Vul de vraag aan iemand anders in het %(language)s in.",
                    language=language_name), THEME_LIMITS["question_other"]),
        _wording(_l("Vul de uitleg in het %(language)s in.", language=language_name),
                 THEME_LIMITS["help"]),
    )


class ThemeForm(BaseForm):
    #: the version the admin started from: saving over a newer one is refused
    version = HiddenField()
    title_nl, question_self_nl, question_other_nl, help_nl = _theme_fields(LANGUAGE_NAMES["nl"])
    title_fr, question_self_fr, question_other_fr, help_fr = _theme_fields(LANGUAGE_NAMES["fr"])
    title_en, question_self_en, question_other_en, help_en = _theme_fields(LANGUAGE_NAMES["en"])

    def values(self):
        return {f"{field}_{lang}": self[f"{field}_{lang}"].data
                for field in THEME_LIMITS for lang in LANGUAGE_NAMES}
