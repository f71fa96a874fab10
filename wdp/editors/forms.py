"""The forms of the editors' sign-in, second factor and password pages."""
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import ValidationError

from wdp.editors.operations import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from wdp.forms import BaseForm, Required


class SignInForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul je e-mailadres in."))])
    password = PasswordField(validators=[Required(_l("Vul je wachtwoord in."))])


class CodeForm(BaseForm):
    code = StringField(validators=[Required(_l("Vul de code uit je app in."))])


class EnrolForm(BaseForm):
    code = StringField(validators=[Required(_l("Vul de code van 6 cijfers uit je app in."))])


class SignOutForm(BaseForm):
    """One button; a POST, so a link or a prefetch never signs anyone out."""


class ForgotPasswordForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul je e-mailadres in."))])

    def validate_email(self, field):
        try:
            validate_email(field.data, check_deliverability=False,
                           test_environment=current_app.testing)
        except EmailNotValidError as error:
            raise ValidationError(_l(
                "Vul een e-mailadres in zoals naam@voorbeeld.be.")) from error
        field.data = field.data.strip()


class NewPasswordForm(BaseForm):
    password = PasswordField(validators=[Required(_l("Vul een nieuw wachtwoord in."))])
    password_again = PasswordField(validators=[Required(_l(
        "Vul het nieuwe wachtwoord nog een keer in."))])

    def validate_password(self, field):
        if len(field.data) < MIN_PASSWORD_LENGTH:
            raise ValidationError(_l("Gebruik minstens %(num)s tekens.",
                                     num=MIN_PASSWORD_LENGTH))
        if len(field.data) > MAX_PASSWORD_LENGTH:
            raise ValidationError(_l("Gebruik maximaal %(num)s tekens.",
                                     num=MAX_PASSWORD_LENGTH))

    def validate_password_again(self, field):
        if not self.password.errors and field.data != self.password.data:
            raise ValidationError(_l(
                "De twee wachtwoorden zijn niet gelijk. Typ twee keer hetzelfde wachtwoord."))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(validators=[Required(_l("Vul je huidige wachtwoord in."))])
    password = PasswordField(validators=[Required(_l("Vul een nieuw wachtwoord in."))])
    password_again = PasswordField(validators=[Required(_l(
        "Vul het nieuwe wachtwoord nog een keer in."))])

    validate_password = NewPasswordForm.validate_password
    validate_password_again = NewPasswordForm.validate_password_again
