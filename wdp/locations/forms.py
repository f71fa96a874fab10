"""The location search form: a plain GET form that works without JavaScript."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField, StringField


class SearchForm(Form):
    q = SearchField(_l("Zoek op naam, gemeente of postcode"))
    soort = StringField(_l("Soort opvang of zorg"))
    #: (slug, label) of the kinds to filter on; empty outside a sector
    kind_choices = ()

    @property
    def query(self):
        return (self.q.data or "").strip()

    def set_kinds(self, kinds):
        self.kind_choices = [("", _l("Alle soorten"))] + [(k.slug, k.label) for k in kinds]
