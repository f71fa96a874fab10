"""The base form and shared validators, with messages that say what to do, in Dutch."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import StopValidation, ValidationError

#: C0 and C1 control characters other than tab and newline
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BaseForm(FlaskForm):
    """Every form: CSRF on, server-side validation only (templates set novalidate)."""


class RadioAnswer(StringField):
    """A radio group drawn by our macros; choices are plain (value, label) pairs."""

    is_radio = True

    def __init__(self, label=None, validators=None, choices=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices = list(choices)


def clean_text(value):
    """Newlines normalised, invisible control characters dropped, surrounding whitespace
    removed; whitespace-only becomes empty. (People cannot see or delete control
    characters, so refusing them would block them.)"""
    if value is None:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


class Required:
    """Stop with a message when the (stripped) answer is empty."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()) or data is False:
            field.errors[:] = []
            raise StopValidation(self.message)


class PlainText:
    """Plain text within a limit (it is stored as typed and always escaped)."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, form, field):
        text = field.data = clean_text(field.data)
        if len(text) > self.limit:
            raise ValidationError(_l(
                "Gebruik maximaal %(limit)s tekens. Je hebt er nu %(count)s.",
                limit=self.limit, count=len(text)))
        field.data = text


class Choice:
    """The answer is one of the field's choices (a forged value gets a plain message)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data not in {str(value) for value, _label in field.choices}:
            raise StopValidation(self.message)
