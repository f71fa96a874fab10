"""The location search form: a plain GET form that works without JavaScript."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField, SelectField


class SearchForm(Form):
    q = SearchField(_l("Zoek op naam, gemeente of postcode"))
    soort = SelectField(_l("Soort opvang of zorg"), choices=[], validate_choice=False)

    @property
    def query(self):
        return (self.q.data or "").strip()

    def set_kinds(self, kinds):
        self.soort.choices = [("", _l("Alle soorten"))] + [(k.slug, k.label) for k in kinds]
