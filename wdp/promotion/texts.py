"""The words on posters and cards, per sector: who we ask, in plain Dutch (B1)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class SectorTexts:
    #: the question in large type
    heading: object
    #: who may write, in the words of the sector's own people
    invitation: object


# Childcare speaks to parents only: the children themselves do not write.
TEXTS = {
    "ouderenzorg": SectorTexts(
        _l("Hoe vind jij het leven en de zorg hier?"),
        _l("Woon je hier? Of komt je moeder, vader of partner hier? "
           "Vertel hoe jij de zorg vindt. Familie mag ook schrijven."),
    ),
    "kinderopvang": SectorTexts(
        _l("Hoe vind je de opvang van je kind?"),
        _l("Gaat je kind hier naar de opvang? Vertel als ouder hoe jij de opvang vindt."),
    ),
    "jeugdhulp": SectorTexts(
        _l("Hoe vind jij de hulp hier?"),
        _l("Krijg jij hier hulp? Of krijgt je kind hier hulp? "
           "Vertel hoe jij de hulp vindt. Je mag ook samen met iemand schrijven."),
    ),
    "handicap": SectorTexts(
        _l("Hoe vind jij de ondersteuning hier?"),
        _l("Woon je hier, of kom je hier overdag? Of ben je familie of een steunfiguur? "
           "Vertel hoe jij de ondersteuning vindt."),
    ),
}

#: short promises shown on every poster, the same as on the start page of the form
PROMISES = (
    _l("Het duurt ongeveer 5 minuten."),
    _l("Je blijft anoniem. Niemand ziet je naam."),
    _l("De redactie van WDP leest elke waardering eerst."),
)
