"""The organisation's response form: plain text within a limit, no HTML."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation

from wdp.forms import BaseForm, PlainText, Required, clean_text

#: the most characters a response may have (stated in the hint, checked here)
RESPONSE_LIMIT = 2000

#: something that reads as an HTML tag or comment: "<b>", "</p>", "<a href=…>", "<!-- -->";
#: "a < b", "<3", "2 <> 3" or "< b >" are no tags
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")


class NoHtml:
    """Refuse HTML with a message, keeping the text as typed.

    The response is stored as plain text and always escaped when shown, so a tag would show
    as code to every reader; stripping tags would silently change what the organisation
    wrote (and what the editors approve). Refusing lets the writer decide what stays.
    """

    def __call__(self, form, field):
        if HTML_TAG.search(field.data or ""):
            # No angle brackets in the message: flask_babel's lazy strings count as safe
            # HTML in templates, so a "<b>" here would become markup.
            raise StopValidation(_l(
                "Schrijf je reactie als gewone tekst, zonder HTML-code. Haal de code weg, "
                "bijvoorbeeld tags zoals b, p of a href."))


def cleaned(form, field):
    """First normalise newlines and drop invisible control characters (wdp.forms.clean_text)."""
    field.data = clean_text(field.data)


class ResponseForm(BaseForm):
    text = TextAreaField(validators=[
        cleaned, Required(_l("Schrijf je reactie.")), NoHtml(), PlainText(RESPONSE_LIMIT)])
    #: "preview", "send" or "edit": which button was pressed
    action = StringField()
