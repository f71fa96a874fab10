"""The forms of participation: the public sign-up, handling a sign-up, agreements and their end."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SearchField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from wdp.clock import today
from wdp.forms import BaseForm, Choice, PlainText, RadioAnswer, Required, clean_text
from wdp.rating_form.forms import normalised_email

ORGANISATION_LIMIT = 300
LOCATIONS_LIMIT = 3000
NAME_LIMIT = 200
PHONE_LIMIT = 60
MESSAGE_LIMIT = 2000
NOTE_LIMIT = 1000
SIGNED_BY_LIMIT = 200

#: digits with the usual separators: "09 123 45 67", "+32 (0)9/123.45.67"
PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 ()./-]{5,}")
#: 15-3-2026, 15/03/2026, 15.3.2026 or 2026-03-15
DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class MayBeEmpty:
    """An empty answer is fine: stop here with no error and store an empty text."""

    field_flags = {}

    def __call__(self, form, field):
        field.data = clean_text(field.data)
        if not field.data:
            field.errors[:] = []
            raise StopValidation()


class SignUpForm(BaseForm):
    """The public sign-up of an organisation (several questions: organisations fill it in)."""

    organisation = StringField(validators=[
        Required(_l("Vul de naam van je organisatie in.")), PlainText(ORGANISATION_LIMIT)])
    locations = TextAreaField(validators=[
        Required(_l("Vul minstens één locatie in, met de naam en de gemeente.")),
        PlainText(LOCATIONS_LIMIT)])
    sector = RadioAnswer(validators=[MayBeEmpty(), Choice(_l("Kies een van de sectoren."))])
    contact_name = StringField(validators=[
        Required(_l("Vul de naam van de contactpersoon in.")), PlainText(NAME_LIMIT)])
    email = EmailField(validators=[Required(_l("Vul het e-mailadres van de contactpersoon in."))])
    phone = StringField(validators=[MayBeEmpty(), PlainText(PHONE_LIMIT)])
    message = TextAreaField(validators=[MayBeEmpty(), PlainText(MESSAGE_LIMIT)])

    def set_sectors(self, sectors):
        self.sector.choices = [(sector.slug, sector.name) for sector in sectors]

    def validate_email(self, field):
        field.data = normalised_email(field.data)

    def validate_phone(self, field):
        if not PHONE_PATTERN.fullmatch(field.data) or sum(c.isdigit() for c in field.data) < 6:
            raise ValidationError(_l(
                "Vul een telefoonnummer in met cijfers, zoals 09 123 45 67. Of laat het leeg."))

    @property
    def location_lines(self):
        """The locations as typed, one per non-empty line."""
        return [line.strip() for line in self.locations.data.split("\n") if line.strip()]


class HandleSignUpForm(BaseForm):
    note = TextAreaField(validators=[
        Required(_l("Schrijf kort wat je met de aanmelding deed.")), PlainText(NOTE_LIMIT)])


class LocationSearchForm(BaseForm):
    """The admin's search for a location (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Naam, gemeente, postcode of code van de locatie"))

    @property
    def query(self):
        return (self.q.data or "").strip()


def parse_day(text):
    """A date typed as 15-3-2026, 15/03/2026, 15.3.2026 or 2026-03-15, or None."""
    text = clean_text(text).replace(" ", "")
    match = DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = YEAR_FIRST.fullmatch(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    if not 2000 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class Day:
    """The field holds a date in one of the forms people type; its .day is the date."""

    def __init__(self, missing):
        self.missing = missing

    def __call__(self, form, field):
        if not clean_text(field.data):
            raise StopValidation(self.missing)
        field.day = parse_day(field.data)
        if field.day is None:
            raise StopValidation(_l("Vul een bestaande datum in zoals 15-3-2026."))


class AgreementForm(BaseForm):
    """Record a signed participation agreement: it puts the location online."""

    signed_on = StringField(validators=[
        Day(_l("Vul de datum in waarop de overeenkomst is ondertekend."))])
    signed_by = StringField(validators=[
        Required(_l("Vul in wie de overeenkomst ondertekende.")), PlainText(SIGNED_BY_LIMIT)])
    note = TextAreaField(validators=[MayBeEmpty(), PlainText(NOTE_LIMIT)])

    def validate_signed_on(self, field):
        if field.day > today():
            raise ValidationError(_l(
                "De datum van ondertekening ligt in de toekomst. Vul de datum in waarop de "
                "overeenkomst echt is ondertekend."))


class EndForm(BaseForm):
    """Record the end of the running agreement: the location goes offline from that day."""

    ended_on = StringField(validators=[
        Day(_l("Vul de eerste dag in waarop de locatie niet meer meedoet."))])
    end_note = TextAreaField(validators=[MayBeEmpty(), PlainText(NOTE_LIMIT)])
