"""The demo command: a fresh database with seeded, realistic Flemish locations and ratings."""
import itertools
import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import case, event, func, select, text

from wdp.extensions import db
from wdp.locations.models import GOOD_SCORES, Location, Organisation, is_listed
from wdp.locations.operations import (
    CODE_ALPHABET,
    add_location,
    end_participation,
    start_participation,
)
from wdp.locations.search_keys import normalise
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import Status, transition
from wdp.organisations.models import OrganisationContact, Response, ResponseEvent, SignUp
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.catalog import SECTORS
from wdp.sectors.models import LocationKind, Sector
from wdp.sectors.operations import seed_reference_data
from wdp.sectors.queries import current_themes

DEMO_SOURCE = "demo"
#: the demo's "today": fixed, so that one seed gives the same database on any day
DEMO_TODAY = datetime(2026, 11, 1, 10, 0)
#: the ratings are spread over the ~18 months before DEMO_TODAY
DEMO_START = DEMO_TODAY - timedelta(days=548)
COMMIT_EVERY = 250

# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

#: (name, postcode, telephone zone, province, weight: roughly how much care it has)
MUNICIPALITIES = (
    ("Antwerpen", "2000", "03", "ANT", 10), ("Mechelen", "2800", "015", "ANT", 3),
    ("Turnhout", "2300", "014", "ANT", 2), ("Lier", "2500", "03", "ANT", 1),
    ("Herentals", "2200", "014", "ANT", 1), ("Geel", "2440", "014", "ANT", 1),
    ("Mol", "2400", "014", "ANT", 1), ("Heist-op-den-Berg", "2220", "015", "ANT", 1),
    ("Boom", "2850", "03", "ANT", 1), ("Mortsel", "2640", "03", "ANT", 1),
    ("Schoten", "2900", "03", "ANT", 1), ("Brasschaat", "2930", "03", "ANT", 1),
    ("Kapellen", "2950", "03", "ANT", 1), ("Kontich", "2550", "03", "ANT", 1),
    ("Willebroek", "2830", "03", "ANT", 1), ("Bornem", "2880", "03", "ANT", 1),
    ("Hoogstraten", "2320", "03", "ANT", 1), ("Westerlo", "2260", "014", "ANT", 1),
    ("Zoersel", "2980", "03", "ANT", 1), ("Kalmthout", "2920", "03", "ANT", 1),
    ("Gent", "9000", "09", "OVL", 8), ("Aalst", "9300", "053", "OVL", 3),
    ("Sint-Niklaas", "9100", "03", "OVL", 3), ("Dendermonde", "9200", "052", "OVL", 2),
    ("Lokeren", "9160", "09", "OVL", 1), ("Eeklo", "9900", "09", "OVL", 1),
    ("Oudenaarde", "9700", "055", "OVL", 1), ("Ronse", "9600", "055", "OVL", 1),
    ("Geraardsbergen", "9500", "054", "OVL", 1), ("Ninove", "9400", "054", "OVL", 1),
    ("Wetteren", "9230", "09", "OVL", 1), ("Zele", "9240", "052", "OVL", 1),
    ("Deinze", "9800", "09", "OVL", 1), ("Temse", "9140", "03", "OVL", 1),
    ("Beveren", "9120", "03", "OVL", 1), ("Evergem", "9940", "09", "OVL", 1),
    ("Zottegem", "9620", "09", "OVL", 1),
    ("Brugge", "8000", "050", "WVL", 4), ("Kortrijk", "8500", "056", "WVL", 3),
    ("Oostende", "8400", "059", "WVL", 3), ("Roeselare", "8800", "051", "WVL", 2),
    ("Ieper", "8900", "057", "WVL", 2), ("Waregem", "8790", "056", "WVL", 1),
    ("Menen", "8930", "056", "WVL", 1), ("Izegem", "8870", "051", "WVL", 1),
    ("Tielt", "8700", "051", "WVL", 1), ("Torhout", "8820", "050", "WVL", 1),
    ("Poperinge", "8970", "057", "WVL", 1), ("Veurne", "8630", "058", "WVL", 1),
    ("Diksmuide", "8600", "051", "WVL", 1), ("Knokke-Heist", "8300", "050", "WVL", 1),
    ("Blankenberge", "8370", "050", "WVL", 1), ("Harelbeke", "8530", "056", "WVL", 1),
    ("Leuven", "3000", "016", "VBR", 4), ("Tienen", "3300", "016", "VBR", 2),
    ("Vilvoorde", "1800", "02", "VBR", 2), ("Halle", "1500", "02", "VBR", 2),
    ("Asse", "1730", "02", "VBR", 1), ("Dilbeek", "1700", "02", "VBR", 1),
    ("Zaventem", "1930", "02", "VBR", 1), ("Aarschot", "3200", "016", "VBR", 1),
    ("Diest", "3290", "013", "VBR", 1), ("Tervuren", "3080", "02", "VBR", 1),
    ("Overijse", "3090", "02", "VBR", 1), ("Landen", "3400", "011", "VBR", 1),
    ("Hasselt", "3500", "011", "LIM", 3), ("Genk", "3600", "089", "LIM", 3),
    ("Sint-Truiden", "3800", "011", "LIM", 2), ("Tongeren", "3700", "012", "LIM", 1),
    ("Lommel", "3920", "011", "LIM", 1), ("Beringen", "3580", "011", "LIM", 1),
    ("Bilzen", "3740", "089", "LIM", 1), ("Maasmechelen", "3630", "089", "LIM", 1),
    ("Heusden-Zolder", "3550", "011", "LIM", 1), ("Houthalen-Helchteren", "3530", "011", "LIM", 1),
    ("Maaseik", "3680", "089", "LIM", 1), ("Pelt", "3900", "011", "LIM", 1),
)

STREETS = (
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat", "Dorpstraat",
    "Kapelstraat", "Beekstraat", "Kasteelstraat", "Lindenlaan", "Populierenlaan", "Groenstraat",
    "Veldstraat", "Hoogstraat", "Processiestraat", "Pastorijstraat", "Bergstraat", "Brugstraat",
    "Heirbaan", "Koningin Astridlaan", "Leopoldlaan", "Sint-Jozefstraat", "Meersstraat",
    "Hofstraat", "Kloosterstraat", "Zandstraat", "Ringlaan", "Vijverstraat", "Bosstraat",
    "Tuinstraat", "Vredestraat", "Oude Baan", "Langestraat", "Gasthuisstraat", "Begijnhofstraat",
    "Kouterstraat", "Akkerstraat", "Weverstraat", "Boomgaardstraat", "Rozenlaan", "Eikenlaan",
    "Kastanjelaan", "Ter Heidelaan", "Spoorweglaan", "Pleinstraat", "Zonnestraat", "Wilgenstraat",
)

# ---------------------------------------------------------------------------------------------
# Sectors, kinds, names and organisations
# ---------------------------------------------------------------------------------------------

#: share of the locations per sector (400 gives ~120, ~160, ~50, ~70)
SECTOR_SHARE = {"ouderenzorg": 0.30, "kinderopvang": 0.40, "jeugdhulp": 0.125, "handicap": 0.175}
KIND_SHARE = {
    "woonzorgcentrum": 0.70, "kortverblijf-ouderen": 0.12, "dagverzorgingscentrum": 0.18,
    "groepsopvang": 0.45, "samenwerkende-onthaalouders": 0.15, "gezinsopvang": 0.25,
    "buitenschoolse-opvang": 0.15,
    "jeugdhulp-verblijf": 0.5, "jeugdhulp-ambulant": 0.5,
    "wonen": 0.5, "dagondersteuning": 0.35, "kortverblijf-handicap": 0.15,
}
#: how likely a location of this kind belongs to a shared organisation (not its own)
SHARED_ORGANISATION = {
    "woonzorgcentrum": 0.6, "kortverblijf-ouderen": 0.75, "dagverzorgingscentrum": 0.6,
    "groepsopvang": 0.4, "samenwerkende-onthaalouders": 1.0, "gezinsopvang": 0.2,
    "buitenschoolse-opvang": 0.6, "jeugdhulp-verblijf": 0.75, "jeugdhulp-ambulant": 0.75,
    "wonen": 0.75, "dagondersteuning": 0.75, "kortverblijf-handicap": 0.75,
}

_ELDERLY = ("Sint-Jozef", "Sint-Vincentius", "De Linde", "Ter Beuken", "Het Hof", "De Notelaar",
            "Sint-Anna", "Ter Meeren", "De Wingerd", "Hof ter Lo", "Sint-Elisabeth",
            "De Zonnewende", "Avondrust", "Ter Walle", "De Vlinder", "Ter Heide", "Den Olm",
            "Heilig Hart", "Sint-Camillus", "De Boomgaard", "Het Anker", "Zonnetij", "De Meers",
            "Mariënstede", "Sint-Monica", "Ter Ham", "De Kroon", "Ter Linden", "Het Lindehof",
            "De Bron", "Ter Lucht", "Hemelrijck", "De Vijvers", "Ten Kerselaere", "Sint-Bavo",
            "De Mantel", "Ter Dennen", "Huize Roosendael", "Het Gulden Licht", "De Regenboog")
_CHILDREN = ("De Rakkers", "'t Kinderhof", "De Speelvogel", "Het Nestje", "De Kleine Wereld",
             "Ukkepuk", "De Boefjes", "Pimpernel", "Het Zonnetje", "Kaboutertje", "De Pagadder",
             "Klein Duimpje", "De Bengeltjes", "Tuimeltje", "De Kriebeltjes", "Het Kwetternest",
             "De Hummeltjes", "Het Kleine Huis", "De Egeltjes", "De Zeepbel", "Het Berenhuis",
             "De Vlindertjes", "'t Olifantje", "Kindernest", "De Knuffelbeer", "Het Kabouterhuis",
             "De Knuffelhoek", "'t Wiegje", "Het Speelhuisje", "De Kleine Beer", "Pompernikkel",
             "Het Boomhutje", "De Rupsjes", "'t Muizenhuisje", "Klein Geluk", "De Teddybeer",
             "Zonnestraal", "De Kikkertjes", "Het Vogelnestje", "De Lieveheersbeestjes")
_AFTER_SCHOOL = ("De Speelfabriek", "Het Speelpaleis", "De Tuimelaar", "Ravot", "De Spelewei",
                 "De Klimboom", "Het Speelkasteel", "De Vrijbuiter", "Avontuur", "De Boomhut",
                 "De Kameleon", "Het Speelbos", "De Duizendpoot", "Spelenderwijs")
_YOUTH = ("De Vlonder", "De Kade", "Het Anker", "De Schelp", "Tamarinde", "De Sleutel",
          "Het Kompas", "De Wissel", "De Kering", "Horizon", "De Brug", "Het Vlot", "De Steiger",
          "Ter Dreve", "De Oever", "Het Baken", "De Overstap", "Vuurtoren", "De Branding")
_DISABILITY = ("De Beuk", "Het Ven", "De Lork", "De Klaproos", "Ter Engelen", "De Wilg",
               "Het Klaverblad", "De Hoeve", "De Akker", "Zonnebloem", "Ter Bank", "De Kapel",
               "Het Molenhuis", "De Eik", "Ten Dries", "De Kouter", "Het Veldhuis", "De Korenbloem")

#: per kind: name prefixes, the bases they take, and the legal form of an own organisation
NAMES = {
    "woonzorgcentrum": (("WZC", "Woonzorgcentrum", "Residentie"), _ELDERLY, "vzw"),
    "kortverblijf-ouderen": (("Centrum voor kortverblijf", "Kortverblijf"), _ELDERLY, "vzw"),
    "dagverzorgingscentrum": (("Dagverzorgingscentrum", "Dagcentrum"), _ELDERLY, "vzw"),
    "groepsopvang": (("Kinderdagverblijf", "Kinderopvang", "Crèche"), _CHILDREN, "bv"),
    "samenwerkende-onthaalouders": (("Samenwerkende onthaalouders",), _CHILDREN, "vzw"),
    "gezinsopvang": (("Gezinsopvang",), _CHILDREN, "bv"),
    "buitenschoolse-opvang": (("IBO", "Buitenschoolse opvang"), _AFTER_SCHOOL, "vzw"),
    "jeugdhulp-verblijf": (("Leefgroep", "Begeleidingstehuis", "Kamertraining"), _YOUTH, "vzw"),
    "jeugdhulp-ambulant": (("Thuisbegeleiding", "Contextbegeleiding", "Mobiele begeleiding"),
                           _YOUTH, "vzw"),
    "wonen": (("Woonvorm", "Wooncentrum", "Woongroep"), _DISABILITY, "vzw"),
    "dagondersteuning": (("Dagcentrum", "Dagondersteuning", "Atelier"), _DISABILITY, "vzw"),
    "kortverblijf-handicap": (("Kortverblijf", "Logeerhuis"), _DISABILITY, "vzw"),
}


@dataclass(frozen=True)
class OrganisationPlan:
    name: str
    domain: str
    sectors: tuple
    #: the kinds it runs (empty: every kind of its sectors)
    kinds: tuple = ()
    #: where it works: municipality names or province codes (empty: all of Flanders)
    area: tuple = ()

    def runs(self, kind, sector, municipality, province):
        if sector not in self.sectors or (self.kinds and kind not in self.kinds):
            return False
        return not self.area or municipality in self.area or province in self.area


_CHILDMINDERS = ("samenwerkende-onthaalouders", "gezinsopvang")
#: organisations with several locations; made up, except the cities
SHARED_ORGANISATIONS = (
    OrganisationPlan("vzw Zonnewende", "zonnewende.example",
                     ("ouderenzorg", "jeugdhulp", "handicap"), area=("ANT",)),
    OrganisationPlan("Zorggroep Klaproos", "zorggroep-klaproos.example",
                     ("ouderenzorg", "handicap"), area=("OVL", "WVL")),
    OrganisationPlan("Zorgbedrijf Leiestroom", "leiestroom.example", ("ouderenzorg", "kinderopvang"),
                     area=("Gent",)),
    OrganisationPlan("Kinderopvang Scheldeland", "scheldeland.example", ("kinderopvang",),
                     area=("Antwerpen",)),
    OrganisationPlan("Zorgnet Reiemeers", "reiemeers.example", ("ouderenzorg", "kinderopvang"),
                     area=("Brugge",)),
    OrganisationPlan("Opvang De Dijlevallei", "dijlevallei.example", ("kinderopvang",), area=("Leuven",)),
    OrganisationPlan("Zorgbedrijf Dijlestad", "dijlestad.example", ("ouderenzorg", "kinderopvang"),
                     area=("Mechelen",)),
    OrganisationPlan("Kinderopvang Demerland", "demerland.example", ("kinderopvang",),
                     area=("Hasselt",)),
    OrganisationPlan("Zorggroep Sint-Vincentius", "zorggroep-sint-vincentius.example",
                     ("ouderenzorg",), area=("ANT", "VBR")),
    OrganisationPlan("Woonzorggroep Kempenland", "kempenland-zorg.example", ("ouderenzorg",),
                     area=("Turnhout", "Geel", "Mol", "Herentals", "Westerlo", "Lommel", "Pelt",
                           "Beringen", "Hoogstraten")),
    OrganisationPlan("Zorgnet Westhoek vzw", "zorgnet-westhoek.example",
                     ("ouderenzorg", "handicap"), area=("WVL",)),
    OrganisationPlan("Residentiezorg Vlaanderen nv", "residentiezorg.example", ("ouderenzorg",),
                     kinds=("woonzorgcentrum", "kortverblijf-ouderen")),
    OrganisationPlan("Zorggroep Maasland vzw", "zorggroep-maasland.example", ("ouderenzorg",),
                     area=("LIM",)),
    OrganisationPlan("vzw Kinderopvang Kadee", "kadee-kinderopvang.example", ("kinderopvang",),
                     kinds=("groepsopvang", "buitenschoolse-opvang"), area=("OVL", "VBR")),
    OrganisationPlan("vzw Speel en Zorg", "speelenzorg.example", ("kinderopvang",),
                     kinds=("groepsopvang", "buitenschoolse-opvang")),
    OrganisationPlan("Kinderopvang Zonnekind vzw", "zonnekind.example", ("kinderopvang",),
                     kinds=("groepsopvang",), area=("ANT", "LIM")),
    OrganisationPlan("Onthaalouderdienst Kinderkans vzw", "kinderkans.example",
                     ("kinderopvang",), kinds=_CHILDMINDERS, area=("OVL", "WVL")),
    OrganisationPlan("Onthaalouderdienst Samen Thuis vzw", "samenthuis-opvang.example",
                     ("kinderopvang",), kinds=_CHILDMINDERS, area=("ANT", "VBR", "LIM")),
    OrganisationPlan("vzw De Overstap Jeugdhulp", "deoverstap-jeugdhulp.example",
                     ("jeugdhulp",)),
    OrganisationPlan("vzw Kompas Jeugdzorg", "kompas-jeugdzorg.example", ("jeugdhulp",),
                     area=("OVL", "WVL")),
    OrganisationPlan("Jongerenwelzijn Limburg vzw", "jongerenwelzijn-limburg.example",
                     ("jeugdhulp",), area=("LIM",)),
    OrganisationPlan("vzw Ondersteuning Op Maat", "ondersteuningopmaat.example", ("handicap",)),
    OrganisationPlan("vzw Ter Engelen", "ter-engelen.example", ("handicap",),
                     area=("ANT", "VBR")),
    OrganisationPlan("vzw Zonnewende Zorg", "zonnewende-zorg.example", ("handicap",),
                     area=("OVL", "LIM")),
)

# ---------------------------------------------------------------------------------------------
# Ratings: scores, roles and texts
# ---------------------------------------------------------------------------------------------

#: overall score weights 1..5 per sector (childcare as in the pilot: mean ~4.7, ~99% good)
SCORE_WEIGHTS = {
    "ouderenzorg": (2, 3, 8, 30, 57),
    "kinderopvang": (0.15, 0.25, 0.8, 22, 77),
    "jeugdhulp": (4, 5, 11, 32, 48),
    "handicap": (3, 4, 9, 30, 54),
}
#: how much locations differ from each other (a location's quality tilts its scores)
QUALITY_SPREAD = {"ouderenzorg": 0.45, "kinderopvang": 0.2, "jeugdhulp": 0.45, "handicap": 0.4}
ROLE_WEIGHTS = {
    "ouderenzorg": {"self": 30, "family": 55, "representative": 5, "supporter": 5, "staff": 5},
    "kinderopvang": {"parent": 96, "family": 4},
    "jeugdhulp": {"self": 62, "family": 20, "supporter": 13, "representative": 3, "staff": 2},
    "handicap": {"self": 35, "family": 33, "representative": 10, "supporter": 14, "staff": 8},
}
#: a supporter or staff member types the user's own experience, so in the first person
PERSPECTIVE = {"self": "self", "supporter": "self", "staff": "self", "parent": "close",
               "family": "close", "representative": "close"}

#: whom someone close writes about: (noun, subject pronoun, possessive)
SUBJECTS = {
    ("ouderenzorg", "close"): (("mijn moeder", "ze", "haar"), ("mijn vader", "hij", "zijn"),
                               ("mijn oma", "ze", "haar"), ("mijn opa", "hij", "zijn"),
                               ("mijn schoonmoeder", "ze", "haar"), ("mijn tante", "ze", "haar"),
                               ("mijn schoonvader", "hij", "zijn"), ("mijn man", "hij", "zijn")),
    ("kinderopvang", "parent"): (("onze dochter", "ze", "haar"), ("onze zoon", "hij", "zijn"),
                                 ("mijn dochter", "ze", "haar"), ("mijn zoon", "hij", "zijn"),
                                 ("ons dochtertje", "ze", "haar"), ("ons zoontje", "hij", "zijn")),
    ("kinderopvang", "family"): (("mijn kleindochter", "ze", "haar"),
                                 ("mijn kleinzoon", "hij", "zijn")),
    ("jeugdhulp", "close"): (("onze zoon", "hij", "zijn"), ("onze dochter", "ze", "haar"),
                             ("mijn zoon", "hij", "zijn"), ("mijn dochter", "ze", "haar")),
    ("handicap", "close"): (("mijn zus", "ze", "haar"), ("mijn broer", "hij", "zijn"),
                            ("onze zoon", "hij", "zijn"), ("onze dochter", "ze", "haar")),
}

#: the first, neutral sentence that says how the writer knows the place, per kind
OPENERS = {
    "self": {
        "woonzorgcentrum": ("Ik woon hier sinds vorig jaar.", "Ik woon hier nu bijna drie jaar.",
                            "Ik ben hier komen wonen toen het thuis niet meer ging."),
        "kortverblijf-ouderen": ("Ik was hier drie weken na een operatie aan mijn heup.",
                                 "Ik verbleef hier twee weken toen mijn dochter op reis was.",
                                 "Ik kwam hier op krachten na het ziekenhuis."),
        "dagverzorgingscentrum": ("Ik kom hier twee dagen per week.",
                                  "Ik ga hier elke dinsdag en vrijdag naartoe.",
                                  "Sinds dit voorjaar kom ik hier drie dagen per week."),
        "jeugdhulp-verblijf": ("Ik woon nu acht maanden in de leefgroep.",
                               "Ik verblijf hier sinds de zomer.",
                               "Ik woon hier samen met zeven andere jongeren."),
        "jeugdhulp-ambulant": ("Er komt elke week een begeleider bij ons thuis.",
                               "Ik kom hier elke week praten.",
                               "Ik heb hier een jaar begeleiding gehad."),
        "wonen": ("Ik woon hier met zes andere bewoners.", "Ik woon hier al vijf jaar."),
        "dagondersteuning": ("Ik kom hier elke dag naar het atelier.",
                             "Ik werk hier in de keuken en in de tuin."),
        "kortverblijf-handicap": ("Ik kom hier een weekend per maand logeren.",
                                  "Ik logeer hier soms als mijn ouders een pauze nodig hebben."),
    },
    "close": {
        "woonzorgcentrum": ("{N} woont hier sinds vorig jaar.", "{N} woont hier nu twee jaar.",
                            "{N} is hier komen wonen toen het thuis niet meer ging."),
        "kortverblijf-ouderen": ("{N} verbleef hier drie weken na een val.",
                                 "{N} kwam hier op kortverblijf toen wij op vakantie waren.",
                                 "{N} was hier twee weken om te herstellen na het ziekenhuis."),
        "dagverzorgingscentrum": ("{N} gaat hier twee dagen per week naartoe.",
                                  "{N} komt hier drie dagen per week, zo kan {hij} thuis "
                                  "blijven wonen."),
        "groepsopvang": ("{N} gaat hier sinds {hij} vier maanden oud is.",
                         "{N} gaat hier drie dagen per week naartoe.",
                         "We brengen {n} hier sinds vorig jaar."),
        "samenwerkende-onthaalouders": ("{N} gaat hier sinds {hij} een half jaar oud is.",
                                        "{N} gaat hier vier dagen per week naartoe."),
        "gezinsopvang": ("{N} gaat hier al anderhalf jaar naartoe.",
                         "Het is een kleine opvang met maar een paar kindjes, dat vinden we fijn."),
        "buitenschoolse-opvang": ("{N} gaat hier na school en op woensdagmiddag naartoe.",
                                  "{N} gaat hier in de schoolvakanties naartoe."),
        "jeugdhulp-verblijf": ("{N} verblijft hier sinds een jaar.",
                               "{N} woont hier sinds de zomer in een leefgroep."),
        "jeugdhulp-ambulant": ("Er komt elke week iemand bij ons thuis voor {n} en ons gezin.",
                               "{N} gaat hier elke week naar een gesprek."),
        "wonen": ("{N} woont hier sinds een paar jaar.", "{N} woont hier nu bijna tien jaar."),
        "dagondersteuning": ("{N} gaat hier elke weekdag naartoe.",),
        "kortverblijf-handicap": ("{N} komt hier af en toe logeren, zo kunnen wij even op adem "
                                  "komen.",),
    },
}

_RESIDENTIAL = ("woonzorgcentrum", "kortverblijf-ouderen")
_PLAY_KINDS = ("groepsopvang", "samenwerkende-onthaalouders", "gezinsopvang")
_STAY_KINDS = ("jeugdhulp-verblijf",)
_HOME_KINDS = ("wonen", "kortverblijf-handicap")

#: TOPICS[sector][perspective][sentiment][topic]: sentences; a topic is a theme key or
#: "general"; a (sentence, kinds) pair only fits those kinds
TOPICS = {
    "ouderenzorg": {
        "self": {
            "pos": {
                "care_on_time": ("Ik krijg mijn medicijnen altijd op tijd.",
                                 ("'s Morgens helpen ze me rustig met wassen en aankleden.",
                                  _RESIDENTIAL)),
                "respect": ("De verzorgers kloppen altijd voor ze binnenkomen.",
                            "Ze spreken me met respect aan, ook als het druk is."),
                "listened_to": (("Ik mag zelf kiezen wanneer ik opsta.", _RESIDENTIAL),
                                "Ze vragen wat ik graag wil en houden daar rekening mee."),
                "information": ("Als er iets verandert, leggen ze het goed uit.",
                                "Mijn kinderen krijgen altijd snel antwoord op hun vragen."),
                "food": ("Het eten is lekker en er is keuze.", "De soep is elke dag vers.",
                         "Op zondag is er altijd iets lekkers bij de koffie."),
                "at_home": ("Ik voel me hier echt thuis.", "De sfeer is warm en vriendelijk.",
                            ("Mijn kamer is gezellig, met mijn eigen meubels.",
                             ("woonzorgcentrum",))),
                "activities": ("Er is elke dag iets te doen: zingen, turnen of kaarten.",
                               "De uitstap naar zee was een mooie dag.",
                               "Ik doe graag mee met de petanque in de tuin."),
                "help_when_needed": ("Als ik hulp vraag, komt er snel iemand.",
                                     ("Ook 's nachts komt er vlug iemand als ik hulp nodig heb.",
                                      _RESIDENTIAL)),
                "general": ("Het personeel is heel vriendelijk en geduldig.",
                            "Ik ben hier goed terechtgekomen.", "Ik ben heel tevreden."),
            },
            "neg": {
                "care_on_time": (("Ik moet 's morgens soms lang wachten om gewassen te worden.",
                                  _RESIDENTIAL),
                                 "Mijn medicijnen komen niet altijd op het juiste uur."),
                "respect": ("Sommige medewerkers komen binnen zonder te kloppen.",
                            "Ze praten soms over mij alsof ik er niet bij ben."),
                "listened_to": (("Ik mag niet zelf kiezen wanneer ik ga slapen.", _RESIDENTIAL),
                                "Als ik iets vraag, luisteren ze niet echt."),
                "information": ("Ik hoor niet op tijd wat er verandert.",
                                "Niemand legde me uit waarom mijn medicijnen veranderd zijn."),
                "food": (("Het eten is vaak koud als het op mijn kamer komt.", _RESIDENTIAL),
                         "Er is weinig keuze en het eten smaakt flauw."),
                "at_home": ("Ik voel me hier nog altijd niet thuis.",
                            ("Mijn kamer is klein en ik mocht weinig eigen spullen meebrengen.",
                             ("woonzorgcentrum",))),
                "activities": (("Er is weinig te doen, zeker in het weekend.", _RESIDENTIAL),
                               "De activiteiten passen niet bij mij."),
                "help_when_needed": (("Als ik 's nachts bel, duurt het soms een half uur voor er "
                                      "iemand komt.", _RESIDENTIAL),
                                     "Als ik hulp vraag, moet ik vaak lang wachten."),
                "general": ("Het personeel is lief, maar ze hebben te weinig tijd.",
                            "Er zijn veel nieuwe gezichten, ik ken bijna niemand."),
            },
        },
        "close": {
            "pos": {
                "care_on_time": ("{N} krijgt de zorg op tijd en de medicatie wordt goed "
                                 "opgevolgd.",),
                "respect": ("De verzorgers gaan met veel respect met {n} om.",
                            "Ze nemen de tijd voor {n}, ook als het druk is."),
                "listened_to": (("Ze houden rekening met wat {n} wil, bijvoorbeeld wanneer {hij} "
                                 "opstaat.", _RESIDENTIAL),
                                "Ze vragen {n} wat {hij} zelf graag wil."),
                "information": ("Wij worden als familie altijd goed op de hoogte gehouden.",
                                "Met vragen kunnen we altijd bij de verpleging terecht."),
                "food": ("{N} eet hier beter dan thuis.",
                         "Het eten is vers en {n} krijgt aangepaste maaltijden."),
                "at_home": ("{N} voelt zich hier thuis.",
                            ("{Zijn} kamer is gezellig ingericht met eigen spullen.",
                             ("woonzorgcentrum",))),
                "activities": ("Er zijn veel activiteiten en {n} doet graag mee.",
                               "{N} geniet van de muziekmomenten en de wandelingen."),
                "help_when_needed": ("Als {n} hulp nodig heeft, is er snel iemand.",),
                "general": ("We zijn heel dankbaar voor de goede zorg.",
                            "Een warme plek met betrokken medewerkers."),
            },
            "neg": {
                "care_on_time": (("{N} zit 's morgens soms tot tien uur te wachten om gewassen "
                                  "te worden.", _RESIDENTIAL),
                                 "De medicatie wordt niet altijd goed gegeven."),
                "respect": ("Sommige medewerkers praten tegen {n} alsof {hij} een kind is.",),
                "listened_to": ("Er wordt weinig gevraagd wat {n} zelf wil.",),
                "information": ("Als familie horen we vaak niets, ook niet als {n} gevallen is.",
                                "We moeten zelf altijd achter informatie vragen."),
                "food": ("Het eten is vaak koud en {n} krijgt niet genoeg tijd om te eten.",),
                "at_home": (("{N} voelt zich eenzaam en zit veel alleen op {zijn} kamer.",
                             _RESIDENTIAL),
                            "{N} voelt zich er niet op {zijn} gemak."),
                "activities": ("Er is weinig te doen, {n} zit veel voor de televisie.",),
                "help_when_needed": ("Als {n} hulp vraagt, duurt het lang voor er iemand komt.",
                                     ("Er is te weinig personeel, zeker 's avonds en in het "
                                      "weekend.", _RESIDENTIAL)),
                "general": ("De medewerkers doen hun best, maar er zijn er te weinig.",
                            "Er wisselt veel personeel, daardoor kent niemand {n} echt."),
            },
        },
    },
    "kinderopvang": {
        "close": {
            "pos": {
                "welcome": ("We worden elke ochtend met een glimlach ontvangen.",
                            "We voelen ons echt welkom."),
                "child_likes_it": ("{N} gaat er elke dag met plezier naartoe.",
                                   "{N} wil 's avonds bijna niet mee naar huis."),
                "care": ("Ze houden goed rekening met wat {n} wel en niet mag eten.",
                         ("Ze volgen het slaapritme van {n} goed op.", _PLAY_KINDS),
                         "De verzorging is heel goed."),
                "play": ("Er is veel speelgoed en ze gaan elke dag buiten spelen.",
                         "Ze doen leuke knutselactiviteiten."),
                "how_the_day_went": ("Bij het ophalen vertellen ze altijd hoe de dag was.",
                                     "Via de app krijgen we foto's van de dag."),
                "reachable": ("Ze zijn altijd makkelijk te bereiken.",
                              "Als we bellen, is er altijd iemand die tijd heeft."),
                "safe_clean": ("Alles is proper en veilig.",
                               "De ruimtes zijn netjes en er is een mooie, veilige tuin."),
                "concerns": ("Toen we ons zorgen maakten, namen ze echt tijd voor een gesprek.",),
                "general": ("Lieve en warme begeleiders.", "We zijn super tevreden.",
                            "Echt een warm nest."),
            },
            "neg": {
                "welcome": ("We voelen ons niet altijd welkom bij het brengen.",),
                "child_likes_it": ("{N} huilt elke ochtend en wil niet blijven.",),
                "care": ("Er wordt weinig rekening gehouden met de allergie van {n}.",
                         ("{N} komt vaak met een volle luier thuis.", _PLAY_KINDS)),
                "play": ("De kinderen zitten veel binnen, ook bij mooi weer.",),
                "how_the_day_went": ("Bij het ophalen horen we bijna niets over de dag.",),
                "reachable": ("Ze zijn moeilijk te bereiken, de telefoon wordt zelden "
                              "opgenomen.",),
                "safe_clean": ("Het is niet altijd even proper.",
                               "De poort staat vaak open, dat vind ik niet veilig."),
                "concerns": ("Toen we een zorg hadden, werd er niet goed geluisterd.",),
                "general": ("Er wisselen veel begeleiders, dat is onrustig voor de kinderen.",
                            "Er zijn te veel kinderen voor te weinig begeleiders."),
            },
        },
    },
    "jeugdhulp": {
        "self": {
            "pos": {
                "quick_help": ("Ik kon snel beginnen.", "Ik moest niet lang wachten."),
                "taken_seriously": ("Ze luisteren echt naar mij.", "Ik voel me serieus genomen."),
                "decide_along": ("Ik mag mee beslissen over mijn plan.",
                                 "Ze vragen altijd wat ik zelf wil."),
                "counsellor": ("Met mijn begeleider kan ik over alles praten.",
                               "Mijn begeleider heeft altijd tijd voor mij."),
                "promises": ("Ze doen wat ze zeggen.", "Afspraken worden nagekomen."),
                "safe": ("Ik voel me hier veilig.", ("De groep is fijn.", _STAY_KINDS)),
                "where_you_stay": ("Het is hier rustig en gezellig.",
                                   ("Mijn kamer is gezellig.", _STAY_KINDS)),
                "helped": ("Het gaat nu veel beter met mij.", "Ik kan nu weer naar school.",
                           "Thuis is er veel minder ruzie."),
                "general": ("Echt toffe begeleiders.", "Ik ben blij dat ik hier terechtkwam."),
            },
            "neg": {
                "quick_help": ("Ik moest maanden wachten voor ik kon beginnen.",),
                "taken_seriously": ("Soms voel ik me niet gehoord.",),
                "decide_along": ("Er wordt veel beslist zonder mij.",),
                "counsellor": ("Ik heb al drie keer een andere begeleider gehad.",
                               "Mijn begeleider heeft bijna nooit tijd."),
                "promises": ("Afspraken worden vaak verzet.",),
                "safe": (("In de groep wordt soms gepest en dat zien ze niet altijd.",
                          _STAY_KINDS),),
                "where_you_stay": ("De plek waar we samenkomen is niet gezellig.",
                                   ("Mijn kamer is klein en er is weinig privacy.", _STAY_KINDS)),
                "helped": ("Ik merk nog niet veel verschil.",),
                "general": ("Er zijn te veel regels.", "Ik vind het hier niet leuk."),
            },
        },
        "close": {
            "pos": {
                "quick_help": ("We konden snel starten na de aanmelding.",),
                "taken_seriously": ("Ze nemen ons als ouders serieus.",),
                "decide_along": ("We beslissen samen over de volgende stappen.",),
                "counsellor": ("De begeleider heeft een goede band met {n}.",),
                "promises": ("Ze komen hun afspraken na.",),
                "safe": ("{N} voelt zich hier veilig.",),
                "where_you_stay": ("Het is er rustig en gezellig.",
                                   ("{N} heeft een fijne kamer.", _STAY_KINDS)),
                "helped": ("Thuis gaat het veel beter sinds de begeleiding.", "{N} lacht weer."),
                "general": ("Een warme en eerlijke aanpak.",),
            },
            "neg": {
                "quick_help": ("We stonden lang op een wachtlijst.",),
                "taken_seriously": ("Als ouders worden we niet altijd betrokken.",),
                "decide_along": ("Er wordt over ons beslist in plaats van met ons.",),
                "counsellor": ("{N} heeft al verschillende begeleiders gehad, dat maakt het "
                               "moeilijk.",),
                "promises": ("Afspraken worden niet altijd nagekomen.",),
                "safe": (("We maken ons zorgen over de sfeer in de groep.", _STAY_KINDS),),
                "helped": ("We zien nog weinig verbetering.",),
                "general": ("De communicatie met ons als ouders kan veel beter.",),
            },
        },
    },
    "handicap": {
        "self": {
            "pos": {
                "safe_well": ("Ik voel me hier goed.", "Ik voel me veilig."),
                "contact": (("Ik mag elk weekend naar huis.", ("wonen",)),
                            ("Mijn familie mag altijd op bezoek komen.", _HOME_KINDS),
                            "Ik zie mijn vrienden hier elke dag."),
                "living": ("Het huis is gezellig.",
                           ("Mijn kamer is mooi, met mijn eigen spullen.", _HOME_KINDS)),
                "learning": ("Ik heb leren koken.", "Ik leer zelf de bus nemen."),
                "health": ("Ze helpen mij goed met mijn medicijnen.",
                           "Ze gaan met mij naar de dokter als het nodig is."),
                "choosing": ("Ik mag zelf kiezen wat ik aandoe.",
                             "Ik kies zelf wat ik doe in het weekend."),
                "taking_part": ("Ik ga elke week naar de voetbal.",
                                "Ik help in de winkel in het dorp."),
                "respect_privacy": ("Ze kloppen altijd op mijn deur.",
                                    "Ze zijn vriendelijk tegen mij."),
                "general": ("De begeleiders zijn lief.", "Ik ben hier graag."),
            },
            "neg": {
                "safe_well": ("Ik voel me soms niet goed in de groep.",),
                "contact": (("Ik zie mijn familie te weinig.", _HOME_KINDS),
                            ("Ik mag niet altijd bellen als ik wil.", _HOME_KINDS)),
                "living": ("Het is hier vaak lawaaierig.",),
                "learning": ("Ik zou graag meer nieuwe dingen leren.",),
                "health": ("Ik moet lang wachten voor ik naar de dokter kan.",),
                "choosing": ("Ik mag weinig zelf kiezen.",),
                "taking_part": ("We gaan bijna nooit naar buiten.",
                                "Ik zou graag werken, maar dat lukt niet."),
                "respect_privacy": ("Ik heb weinig tijd voor mezelf.",
                                    "Soms komen ze binnen zonder te kloppen."),
                "general": ("Er zijn te weinig begeleiders.",
                            "Er zijn veel nieuwe begeleiders, dat vind ik moeilijk."),
            },
        },
        "close": {
            "pos": {
                "safe_well": ("{N} is hier gelukkig.",),
                "contact": (("We kunnen altijd op bezoek komen en worden goed ontvangen.",
                             _HOME_KINDS),
                            "We horen elke week hoe het met {n} gaat."),
                "living": (("{N} heeft een mooie kamer met eigen spullen.", _HOME_KINDS),
                           "De groep is klein en rustig."),
                "learning": ("{N} heeft hier veel bijgeleerd, zoals zelf boodschappen doen.",),
                "health": ("Ze volgen de gezondheid van {n} goed op.",),
                "choosing": ("{N} mag veel zelf kiezen.",),
                "taking_part": ("{N} gaat mee naar de sportclub en helpt in een winkel.",),
                "respect_privacy": ("Ze gaan met veel respect met {n} om.",),
                "general": ("Een warme voorziening met betrokken begeleiders.",),
            },
            "neg": {
                "safe_well": ("{N} komt vaak onrustig thuis.",),
                "contact": ("We horen weinig over hoe het met {n} gaat.",),
                "living": ("Het gebouw is oud en de ruimtes zijn klein.",),
                "learning": ("Er wordt weinig gedaan om {n} nieuwe dingen te leren.",),
                "health": ("De opvolging van de medicatie loopt niet altijd goed.",),
                "choosing": ("{N} mag weinig zelf beslissen.",),
                "taking_part": ("{N} komt zelden buiten de voorziening.",),
                "respect_privacy": ("Er is weinig privacy voor {n}.",),
                "general": ("Er zijn te weinig begeleiders, dat merken we.",
                            "Door het vele wisselen van begeleiders mist {n} vaste gezichten."),
            },
        },
    },
}

CLOSINGS = {
    "pos": ("Een aanrader.", "Dank aan het hele team!", "Ik kan het iedereen aanraden.",
            "Blijf zo doorgaan!"),
    "mixed": ("Al bij al is het wel oké.",
              "Met een paar kleine aanpassingen zou het veel beter zijn."),
    "neg": ("Ik hoop dat het beter wordt.", "Hier moet echt iets aan gebeuren.",
            "Jammer, want de plek zelf is mooi."),
}
SMALL_MINUS = ("Een klein minpuntje: ", "Enige werkpunt: ", "Wel jammer: ")

# Responses: thank, (for negative ones) say sorry, answer the point, invite, close warmly.
# {u}/{uw}/{U}: "u" to adults, "je" to young people, people with a disability and parents.
RESPONSE_THANKS = ("Bedankt voor {uw} waardering.", "Dank {u} wel om {uw} ervaring te delen.",
                   "Bedankt om de tijd te nemen om dit te schrijven.")
RESPONSE_GLAD = ("Wat fijn om dit te lezen!", "Dit doet het hele team deugd.",
                 "Daar worden we blij van.")
RESPONSE_SORRY = ("Het spijt ons dat {u} het zo hebt ervaren.",
                  "Sorry dat het niet liep zoals het hoort.",
                  "We vinden het heel jammer dat {u} niet tevreden bent.")
RESPONSE_INVITE = {
    "pos": ("Nog ideeën om het nog beter te doen? {U} bent altijd welkom voor een babbel.",
            "Onze deur staat altijd open als {u} iets wilt vertellen."),
    "neg": ("Als {u} hier samen over wilt praten, bel ons dan op {phone}. Dan maken we een "
            "afspraak.",
            "{U} bent altijd welkom voor een gesprek met de verantwoordelijke. Bel ons gerust op "
            "{phone}.",
            "Spreek ons gerust aan of bel {phone}: we luisteren graag."),
}
RESPONSE_CLOSE = ("Warme groeten, het team van {name}", "Hartelijke groet, team {name}",
                  "Met vriendelijke groeten, het team van {name}")
#: per sector and topic: (answer to praise, answer to criticism)
RESPONSE_TOPICS = {
    "ouderenzorg": {
        "care_on_time": ("Goede zorg op het juiste moment, daar letten we elke dag op.",
                         "We bekijken met het team hoe we de ochtendzorg beter spreiden, zodat "
                         "niemand lang moet wachten."),
        "respect": ("Respect is voor ons de basis, fijn dat dit zo voelt.",
                    "Iedereen verdient respect. We bespreken dit op ons volgende teamoverleg."),
        "listened_to": ("We vinden het belangrijk dat bewoners zelf kiezen, en blijven dat doen.",
                        "We willen beter luisteren naar wat bewoners zelf willen en maken daar "
                        "meer ruimte voor."),
        "information": ("Goede informatie voor bewoners en familie vinden we belangrijk.",
                        "We spreken af dat de familie voortaan altijd bericht krijgt als er iets "
                        "verandert."),
        "food": ("We geven het compliment graag door aan onze keuken.",
                 "Onze keuken bekijkt hoe de maaltijden warm op de kamer komen en hoe er meer "
                 "keuze kan zijn."),
        "at_home": ("Wat fijn dat het hier voelt als thuis.",
                    "We denken graag mee over hoe het hier meer als thuis kan voelen."),
        "activities": ("Onze animatoren zijn blij dit te horen.",
                       "We vragen de bewoners deze maand welke activiteiten ze graag willen, "
                       "ook in het weekend."),
        "help_when_needed": ("Snel helpen als iemand belt, daar doen we ons best voor.",
                             "We zoeken hoe we sneller kunnen reageren als iemand belt, ook "
                             "'s nachts."),
        "general": ("We geven {uw} woorden door aan het hele team.",
                    "We nemen {uw} opmerkingen mee naar ons team."),
    },
    "kinderopvang": {
        "welcome": ("Zo willen we elke ouder ontvangen.",
                    "Elke ouder moet zich welkom voelen. We bekijken met het team hoe het brengen "
                    "en halen rustiger kan."),
        "child_likes_it": ("Wat leuk dat je kind hier zo graag komt.",
                           "Afscheid nemen is soms moeilijk. We bekijken graag samen hoe het "
                           "wennen makkelijker kan."),
        "care": ("Goede verzorging vinden we heel belangrijk.",
                 "We nemen de afspraken over verzorging en voeding opnieuw door met alle "
                 "begeleiders."),
        "play": ("We spelen graag buiten, bij elk weer.",
                 "We maken er werk van om elke dag buiten te spelen als het weer het toelaat."),
        "how_the_day_went": ("Fijn dat je goed op de hoogte bent van de dag.",
                             "We spreken af dat je bij het ophalen altijd kort hoort hoe de dag "
                             "was."),
        "reachable": ("Fijn dat je ons makkelijk bereikt.",
                      "We zorgen dat er altijd iemand de telefoon opneemt of snel terugbelt."),
        "safe_clean": ("Veiligheid en hygiëne staan bij ons voorop.",
                       "We hebben de poort en de schoonmaak meteen nagekeken en maken er betere "
                       "afspraken over."),
        "concerns": ("We zijn blij dat je met je vragen bij ons terechtkunt.",
                     "Met een zorg moet je altijd bij ons terechtkunnen. De verantwoordelijke "
                     "neemt daar graag tijd voor."),
        "general": ("We geven je lieve woorden door aan het hele team.",
                    "We nemen je opmerkingen mee naar ons teamoverleg."),
    },
    "jeugdhulp": {
        "quick_help": ("Fijn dat de hulp snel kon starten.",
                       "Wachten is moeilijk, dat begrijpen we. We doen er alles aan om de "
                       "wachttijd korter te maken."),
        "taken_seriously": ("Luisteren is voor ons het belangrijkste.",
                            "Iedereen moet zich gehoord voelen. We nemen dit mee naar ons team."),
        "decide_along": ("Samen beslissen vinden we belangrijk.",
                         "We willen meer samen beslissen en bespreken dit bij het volgende "
                         "overleg."),
        "counsellor": ("Fijn dat de gesprekken met de begeleider goed lopen.",
                       "We weten dat veel wissels moeilijk zijn. We proberen zoveel mogelijk "
                       "dezelfde begeleider te houden."),
        "promises": ("Afspraken nakomen vinden we belangrijk.",
                     "Afspraken moeten we nakomen. We bekijken hoe dat beter kan."),
        "safe": ("Wat fijn dat het hier veilig voelt.",
                 "Iedereen moet zich bij ons veilig voelen. We praten erover in het team en "
                 "letten er goed op."),
        "where_you_stay": ("We doen ons best om er een gezellige plek van te maken.",
                           "We bekijken hoe we de ruimte gezelliger en rustiger maken."),
        "helped": ("Het doet ons veel plezier dat het beter gaat.",
                   "Soms duurt het even voor hulp werkt. We kijken graag samen wat er nog nodig "
                   "is."),
        "general": ("We geven dit door aan het hele team.", "We nemen {uw} opmerkingen serieus."),
    },
    "handicap": {
        "safe_well": ("We zijn blij dat het goed gaat.",
                      "Iedereen moet zich hier goed voelen. We bekijken samen wat er nodig is."),
        "contact": ("Contact met familie en vrienden vinden we heel belangrijk.",
                    "We maken graag nieuwe afspraken over bezoek, bellen en op de hoogte "
                    "houden."),
        "living": ("Fijn dat het wonen goed voelt.",
                   "We bekijken hoe we het rustiger en gezelliger kunnen maken."),
        "learning": ("Wat fijn om te horen wat er allemaal geleerd is!",
                     "We zoeken samen naar nieuwe dingen om te leren."),
        "health": ("We volgen de gezondheid graag goed op.",
                   "We bekijken met de verpleging hoe de opvolging beter kan."),
        "choosing": ("Zelf kiezen vinden we belangrijk.",
                     "We willen meer ruimte geven om zelf te kiezen en bespreken dit met het "
                     "team."),
        "taking_part": ("Meedoen in de buurt vinden we belangrijk.",
                        "We zoeken samen naar activiteiten buiten de voorziening."),
        "respect_privacy": ("Respect en privacy zijn voor ons heel belangrijk.",
                            "Kloppen en tijd voor jezelf zijn afspraken voor iedereen. We "
                            "herhalen dit in het team."),
        "general": ("We geven {uw} woorden door aan het hele team.",
                    "We nemen {uw} opmerkingen mee naar ons team."),
    },
}
#: how likely an organisation responds (and the response is approved), by overall score
RESPONSE_CHANCE = {1: 0.6, 2: 0.6, 3: 0.5, 4: 0.3, 5: 0.28}


# ---------------------------------------------------------------------------------------------
# The plan: everything decided by the seeded generator before the database is touched
# ---------------------------------------------------------------------------------------------

@dataclass
class LocationPlan:
    sector: str
    kind: str
    name: str
    organisation: str
    street: str
    municipality: str
    postcode: str
    phone: str
    website: str
    contact_email: str
    register_id: str
    register_status: str
    code: str
    created_at: datetime
    signed_on: date | None = None
    ended_on: date | None = None
    quality: float = 0.0

    @property
    def rateable_from(self):
        if self.signed_on is None or self.register_status != "actief":
            return None
        return max(DEMO_START, datetime.combine(self.signed_on, clock_time()) + timedelta(days=10))

    @property
    def rateable_until(self):
        end = datetime.combine(self.ended_on, clock_time()) if self.ended_on else DEMO_TODAY
        return end - timedelta(days=1)


@dataclass
class RatingPlan:
    location: int
    score: int
    role: str
    text: str
    #: (theme key, score or None, text)
    answers: list
    email: str
    reference: str
    #: when it reached draft, submitted, in_moderation, approved and published
    moments: tuple
    #: (text, created_at, approved_at); approved_at is None while still in moderation
    response: tuple | None = None
    topics: list = field(default_factory=list)

    @property
    def published_at(self):
        return self.moments[-1]


def _allocate(total, shares, minimum=None):
    """Split total over the keys of shares (largest remainder), at least minimum[key] or 1."""
    keys = list(shares)
    raw = {k: total * shares[k] / sum(shares.values()) for k in keys}
    counts = {k: max((minimum or {}).get(k, 1), int(raw[k])) for k in keys}
    by_remainder = sorted(keys, key=lambda k: raw[k] - int(raw[k]), reverse=True)
    i = 0
    while sum(counts.values()) < total:
        counts[by_remainder[i % len(keys)]] += 1
        i += 1
    return counts


def _slug(text_):
    return normalise(text_).replace(" ", "-")


def _cap(text_):
    return text_[:1].upper() + text_[1:]


def _phone(rng, zone, mobile=False):
    if mobile:
        return f"04{rng.randrange(70, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)} " \
               f"{rng.randrange(10, 100)}"
    if len(zone) == 2:  # 02, 03, 09: a seven-digit number
        return f"{zone} {rng.randrange(200, 1000)} {rng.randrange(10, 100)} " \
               f"{rng.randrange(10, 100)}"
    return f"{zone} {rng.randrange(20, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}"


def _moment(rng, start, end):
    """A moment between start and end, in the daytime or evening."""
    day = start + timedelta(seconds=rng.uniform(0, max(0.0, (end - start).total_seconds())))
    return day.replace(hour=rng.randrange(8, 22), minute=rng.randrange(60),
                       second=rng.randrange(60), microsecond=0)


def _new_name(rng, prefixes, bases, municipality, used):
    """A name no other location has; the municipality (then a number) only when names run out."""
    for attempt in itertools.count():
        base = rng.choice(bases)
        name = f"{rng.choice(prefixes)} {base}"
        if attempt >= 5:
            name = f"{name} {municipality}"
        if attempt >= 20:
            name = f"{name} {attempt - 18}"
        if name not in used:
            used.add(name)
            return base, name


def _legal_name(name, legal_form):
    return f"vzw {name}" if legal_form == "vzw" else f"{name} {legal_form}"


def plan_locations(rng, total):
    """Decide every location: sector, kind, name, organisation, address, status, participation."""
    sector_counts = _allocate(total, SECTOR_SHARE, {s.slug: len(s.kinds) for s in SECTORS})
    municipalities = list(MUNICIPALITIES)
    weights = [m[4] for m in municipalities]
    used_names, used_codes, own_organisations = set(), set(), {}
    shared_names = {o.name for o in SHARED_ORGANISATIONS}
    plans = []
    for info in SECTORS:
        kind_counts = _allocate(sector_counts[info.slug],
                                {k.slug: KIND_SHARE[k.slug] for k in info.kinds})
        for kind in (k.slug for k in info.kinds):
            prefixes, bases, legal_form = NAMES[kind]
            for _ in range(kind_counts[kind]):
                municipality, postcode, zone, province, _w = rng.choices(municipalities, weights)[0]
                base, name = _new_name(rng, prefixes, bases, municipality, used_names)
                candidates = [o for o in SHARED_ORGANISATIONS
                              if o.runs(kind, info.slug, municipality, province)]
                if candidates and rng.random() < SHARED_ORGANISATION[kind]:
                    organisation = rng.choice(candidates)
                    org_name, domain = organisation.name, organisation.domain
                    website = f"https://www.{domain}/{_slug(name)}"
                    email = f"{_slug(name)}@{domain}"
                else:
                    org_name = _legal_name(base, legal_form)
                    if org_name in own_organisations or org_name in shared_names:
                        org_name = _legal_name(f"{base} {municipality}", legal_form)
                    domain = f"{_slug(base)}-{_slug(municipality)}.example"
                    own_organisations[org_name] = domain
                    website = f"https://www.{domain}"
                    email = f"info@{domain}"
                if kind == "gezinsopvang" and rng.random() < 0.5:
                    website = ""
                code = "".join(rng.choice(CODE_ALPHABET) for _ in range(6))
                while code in used_codes:
                    code = "".join(rng.choice(CODE_ALPHABET) for _ in range(6))
                used_codes.add(code)
                plans.append(LocationPlan(
                    sector=info.slug, kind=kind, name=name, organisation=org_name,
                    street=f"{rng.choice(STREETS)} {rng.randrange(1, 180)}",
                    municipality=municipality, postcode=postcode,
                    phone=_phone(rng, zone, mobile=kind == "gezinsopvang" and rng.random() < 0.6),
                    website=website, contact_email=email,
                    register_id=f"DEMO-{len(plans) + 1:05d}", register_status="actief",
                    code=code, created_at=_moment(rng, DEMO_START - timedelta(days=120),
                                                  DEMO_START - timedelta(days=90)),
                    quality=rng.gauss(0, QUALITY_SPREAD[info.slug])))
    _plan_register_status_and_participation(rng, plans)
    return plans


def _plan_register_status_and_participation(rng, plans):
    """A few "in onderzoek" and "stopgezet"; ~90% participating, a few no longer.

    Some locations that are not "actief" hold an agreement too, as in the pilot: they must
    still not be listed, nor rated.
    """
    indices = list(range(len(plans)))
    odd = rng.sample(indices, max(2, round(len(plans) * 0.07)))
    for n, i in enumerate(odd):
        plans[i].register_status = "stopgezet" if n % 2 else "in onderzoek"
    pilot_end = DEMO_START + timedelta(days=30)
    for plan in plans:
        if rng.random() < 0.9:
            # Most joined in the pilot's first weeks, the rest over the period since.
            if rng.random() < 0.55:
                plan.signed_on = _moment(rng, DEMO_START - timedelta(days=60), pilot_end).date()
            else:
                plan.signed_on = _moment(rng, pilot_end, DEMO_TODAY - timedelta(days=5)).date()
    joined_early = [i for i, p in enumerate(plans) if p.register_status == "actief"
                    and p.signed_on and p.signed_on < pilot_end.date()]
    for i in rng.sample(joined_early, min(len(joined_early), max(1, round(len(plans) * 0.04)))):
        plans[i].ended_on = _moment(rng, DEMO_START + timedelta(days=180),
                                    DEMO_TODAY - timedelta(days=20)).date()


def plan_ratings(rng, locations, total, theme_keys):
    """Decide every rating: where, score, role, text, theme answers, dates and response."""
    rateable = [i for i, loc in enumerate(locations)
                if loc.rateable_from and loc.rateable_until - loc.rateable_from > timedelta(days=5)]
    if not rateable or not total:
        return []
    listed = [i for i in rateable if locations[i].ended_on is None]
    counts = dict.fromkeys(rateable, 0)
    # One busy care home (pagination), a few with only 1-2 ratings (no average, year only).
    early = sorted(listed, key=lambda i: (locations[i].kind != "woonzorgcentrum",
                                          locations[i].signed_on, i))
    busy = early[0] if early else rateable[0]
    counts[busy] = min(150, total // 4)
    few = ([i for i in rng.sample(listed, min(4, len(listed))) if i != busy]
           if total >= 20 else [])
    for n, i in enumerate(few):
        counts[i] = 1 + n % 2
    left = total - sum(counts.values())
    others = [i for i in rateable if i != busy and i not in few]
    if left > 0 and others:
        weights = [rng.lognormvariate(0, 0.9)
                   * (locations[i].rateable_until - locations[i].rateable_from).days
                   for i in others]
        for i in rng.choices(others, weights, k=left):
            counts[i] += 1
    ratings, references = [], set()
    for i in rateable:
        for _ in range(counts[i]):
            rating = _plan_rating(rng, i, locations[i], theme_keys[locations[i].sector])
            while rating.reference in references:
                rating.reference = _reference(rng)
            references.add(rating.reference)
            ratings.append(rating)
    ratings.sort(key=lambda r: r.published_at)
    return ratings


def _reference(rng):
    """Like wdp.rating_form.operations.new_unchecked_reference(), but from the seeded generator."""
    return "W-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(6)).upper()


def _score(rng, location):
    weights = [w * math.exp(location.quality * (s - 3))
               for s, w in zip(range(1, 6), SCORE_WEIGHTS[location.sector], strict=True)]
    return rng.choices(range(1, 6), weights)[0]


def _fits(fragment, kind):
    if isinstance(fragment, tuple):
        return kind in fragment[1]
    return True


def _sentences(pool, topic, kind):
    return [f if isinstance(f, str) else f[0] for f in pool.get(topic, ()) if _fits(f, kind)]


def _plan_rating(rng, index, location, theme_keys):
    sector, kind = location.sector, location.kind
    score = _score(rng, location)
    roles = ROLE_WEIGHTS[sector]
    role = rng.choices(list(roles), list(roles.values()))[0]
    perspective = PERSPECTIVE[role]
    subject_key = (sector, role) if sector == "kinderopvang" else (sector, perspective)
    if sector == "kinderopvang":
        perspective = "close"
    noun, pronoun, possessive = rng.choice(SUBJECTS.get(subject_key, (("", "", ""),)))
    words = {"n": noun, "N": _cap(noun), "hij": pronoun, "zijn": possessive,
             "Zijn": _cap(possessive)}
    pools = TOPICS[sector][perspective]
    text_, topics = _compose_text(rng, pools, kind, score, perspective, words)
    answers = _plan_answers(rng, pools, kind, score, topics, theme_keys, words, text_)
    published = _moment(rng, location.rateable_from, location.rateable_until)
    approved = published - timedelta(hours=rng.choice((rng.uniform(1, 20), rng.uniform(20, 120))))
    confirmed = approved - timedelta(hours=rng.uniform(3, 72))
    submitted = confirmed - timedelta(minutes=rng.uniform(2, 1200))
    created = submitted - timedelta(minutes=rng.uniform(5, 35))
    # Published ratings keep their address until their personal data is erased.
    email = f"demo{rng.randrange(10**6):06d}@demo.example"
    plan = RatingPlan(location=index, score=score, role=role, text=text_, answers=answers,
                      email=email, reference=_reference(rng),
                      moments=(created, submitted, confirmed, approved, published),
                      topics=topics)
    if rng.random() < RESPONSE_CHANCE[score]:
        plan.response = _plan_response(rng, location, plan, perspective)
    return plan


def _compose_text(rng, pools, kind, score, perspective, words):
    """One to four plain sentences, with the topics (theme key, "pos"/"neg") they touch."""
    def pick(sentiment, exclude):
        options = [t for t in pools[sentiment] if t not in exclude and _sentences(
            pools[sentiment], t, kind)]
        topic = rng.choice(options)
        return topic, rng.choice(_sentences(pools[sentiment], topic, kind)).format(**words)

    band = "pos" if score >= 4 else "mixed" if score == 3 else "neg"
    body, topics, seen = [], [], set()
    if band == "pos":
        plan = ["pos"] * rng.choice((1, 1, 2, 2, 3))
        if score == 4 and rng.random() < 0.35:
            plan.append("minus")
    elif band == "mixed":
        plan = ["pos"] + ["neg"] * rng.choice((1, 2))
    else:
        plan = ["neg"] * rng.choice((1, 2, 2, 3))
    for step in plan:
        sentiment = "pos" if step == "pos" else "neg"
        topic, sentence = pick(sentiment, seen)
        seen.add(topic)
        if step == "minus":
            sentence = rng.choice(SMALL_MINUS) + sentence[0].lower() + sentence[1:]
        elif band == "mixed" and sentiment == "neg" and topics and topics[-1][1] == "pos":
            sentence = "Maar " + sentence[0].lower() + sentence[1:]
        body.append(sentence)
        topics.append((topic, sentiment))
    sentences = []
    openers = OPENERS.get(perspective, {}).get(kind, ())
    if openers and rng.random() < 0.4:
        sentences.append(rng.choice(openers).format(**words))
    sentences += body
    if rng.random() < 0.3:
        sentences.append(rng.choice(CLOSINGS[band]))
    return " ".join(sentences[:4]), topics


def _plan_answers(rng, pools, kind, score, topics, theme_keys, words, text_):
    mentioned = dict(topics)
    answers = []
    for key in theme_keys:
        theme_score = max(1, min(5, score + rng.choice((-1, 0, 0, 0, 0, 1))))
        if mentioned.get(key) == "pos":
            theme_score = max(theme_score, 4)
        elif mentioned.get(key) == "neg":
            theme_score = min(theme_score, 2)
        if key not in mentioned and rng.random() < 0.08:
            theme_score = None  # "weet ik niet"
        answer_text = ""
        if theme_score in (1, 2, 4, 5) and rng.random() < 0.12:
            sentiment = "pos" if theme_score >= 4 else "neg"
            options = [s.format(**words) for s in _sentences(pools[sentiment], key, kind)]
            options = [s for s in options if s not in text_]
            if options:
                answer_text = rng.choice(options)
        answers.append((key, theme_score, answer_text))
    return answers


def _plan_response(rng, location, rating, perspective):
    sector = location.sector
    informal = sector == "kinderopvang" or (sector in ("jeugdhulp", "handicap")
                                            and perspective == "self")
    words = ({"u": "je", "uw": "je", "U": "Je"} if informal else
             {"u": "u", "uw": "uw", "U": "U"}) | {"phone": location.phone, "name": location.name}
    negative = rating.score <= 3
    criticised = [t for t, s in rating.topics if s == "neg"]
    praised = [t for t, s in rating.topics if s == "pos"]
    if negative and criticised:
        answer = RESPONSE_TOPICS[sector].get(criticised[0], RESPONSE_TOPICS[sector]["general"])[1]
    else:
        answer = RESPONSE_TOPICS[sector].get(praised[0] if praised else "general",
                                             RESPONSE_TOPICS[sector]["general"])[0]
    created = rating.published_at + timedelta(hours=rng.uniform(10, 300))
    if created > DEMO_TODAY:
        return None
    approved = created + timedelta(hours=rng.uniform(3, 70))
    parts = [rng.choice(RESPONSE_THANKS),
             rng.choice(RESPONSE_SORRY if negative else RESPONSE_GLAD), answer,
             rng.choice(RESPONSE_INVITE["neg" if negative else "pos"]),
             rng.choice(RESPONSE_CLOSE)]
    if not negative and rng.random() < 0.5:
        parts.pop(3)  # a thank-you for praise needs no invitation
    response_text = " ".join(p.format(**words) for p in parts)
    return response_text, created, approved if approved <= DEMO_TODAY else None


# ---------------------------------------------------------------------------------------------
# Writing it: the schema, emptying, reference data, then the plan
# ---------------------------------------------------------------------------------------------

def empty_database():
    """Delete every row of every table, children before parents; the schema stays."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # One statement for all tables, and ids from 1 again so demo URLs are stable too.
        quote = db.engine.dialect.identifier_preparer.quote
        db.session.execute(text(
            "TRUNCATE " + ", ".join(quote(t.name) for t in tables) + " RESTART IDENTITY"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class _EventClock:
    """Dates the events transition() records at the planned moment instead of the wall clock."""

    def __init__(self, session):
        self.session, self.at = session, None

    def __enter__(self):
        event.listen(self.session, "before_flush", self._date_new_events)
        return self

    def __exit__(self, *exc):
        event.remove(self.session, "before_flush", self._date_new_events)

    def _date_new_events(self, session, flush_context, instances):
        for obj in session.new:
            if isinstance(obj, RatingEvent) and obj.at is None:
                obj.at = self.at


def write_locations(plans):
    """Add the organisations, locations and participations; return the location ids."""
    sectors = {s.slug: s for s in db.session.scalars(select(Sector))}
    kinds = {k.slug: k for k in db.session.scalars(select(LocationKind))}
    organisations = {}
    added = []
    for plan in plans:
        organisation = organisations.get(plan.organisation)
        if organisation is None:
            organisation = organisations[plan.organisation] = Organisation(name=plan.organisation)
            db.session.add(organisation)
        location = add_location(
            code=plan.code, sector=sectors[plan.sector], kind=kinds[plan.kind],
            organisation=organisation, name=plan.name, street=plan.street,
            postcode=plan.postcode, municipality=plan.municipality,
            contact_email=plan.contact_email, phone=plan.phone, website=plan.website,
            register_source=DEMO_SOURCE, register_id=plan.register_id,
            register_status=plan.register_status, created_at=plan.created_at,
            updated_at=plan.created_at)
        if plan.signed_on:
            participation = start_participation(location, plan.signed_on,
                                                note="Demo: overeenkomst ondertekend.")
            participation.created_at = datetime.combine(plan.signed_on, clock_time(9))
            if plan.ended_on:
                end_participation(location, plan.ended_on, note="Demo: stopt met deelnemen.")
        added.append(location)
    db.session.flush()
    ids = [location.id for location in added]
    db.session.commit()
    return ids


PATH_TO_PUBLISHED = (
    (Status.DRAFT, "submitter"), (Status.SUBMITTED, "submitter"),
    (Status.IN_MODERATION, "submitter"), (Status.APPROVED, "editor"),
    (Status.PUBLISHED, "submitter"),
)


def write_ratings(plans, location_ids, locations):
    """Take every rating through the state machine in publication order, in batches."""
    theme_ids = {}
    for sector in db.session.scalars(select(Sector)):
        theme_ids[sector.slug] = {t.key: t.id for t in current_themes(sector)}
    with _EventClock(db.session()) as clock:
        for n, plan in enumerate(plans, 1):
            created, submitted, confirmed = plan.moments[:3]
            rating = Rating(location_id=location_ids[plan.location], role=plan.role,
                            language="nl", overall_score=plan.score, experience_text=plan.text,
                            email=plan.email, reference=plan.reference, created_at=created,
                            submitted_at=submitted, confirmed_at=confirmed)
            sector = locations[plan.location].sector
            rating.answers = [RatingAnswer(theme_id=theme_ids[sector][key], score=score,
                                           text=answer_text)
                              for key, score, answer_text in plan.answers]
            db.session.add(rating)
            for (status, actor), at in zip(PATH_TO_PUBLISHED, plan.moments, strict=True):
                clock.at = at
                transition(rating, status, actor_type=actor)
                db.session.flush()  # the event clock dates events as they are flushed
            rating.published_at = plan.published_at
            if plan.response:
                response_text, created_at, approved_at = plan.response
                db.session.add(Response(
                    rating=rating, text=response_text, created_at=created_at,
                    status="approved" if approved_at else "in_moderation",
                    approved_at=approved_at))
            if n % COMMIT_EVERY == 0:
                db.session.commit()
                db.session.expunge_all()
        db.session.commit()


def build_demo(seed, n_locations, n_ratings):
    """Fill the (emptied) database with the demo; the same seed gives the same data."""
    seed_reference_data()
    db.session.commit()
    theme_keys = {sector.slug: [t.key for t in current_themes(sector)]
                  for sector in db.session.scalars(select(Sector))}
    rng = random.Random(seed)
    locations = plan_locations(rng, n_locations)
    ratings = plan_ratings(rng, locations, n_ratings, theme_keys)
    location_ids = write_locations(locations)
    write_ratings(ratings, location_ids, locations)
    write_response_history()
    write_sign_ups()


def write_response_history():
    """A contact per register address, and each response's submission, decision and history."""
    emails = sorted({email.lower() for email in db.session.scalars(
        select(Location.contact_email).where(Location.contact_email.is_not(None)))})
    db.session.add_all(OrganisationContact(email=email, created_at=DEMO_START) for email in emails)
    db.session.flush()
    contact_ids = dict(db.session.execute(
        select(OrganisationContact.email, OrganisationContact.id)).all())
    rows = db.session.execute(
        select(Response, Location.contact_email)
        .join(Rating, Response.rating_id == Rating.id)
        .join(Location, Rating.location_id == Location.id)).all()
    for response, email in rows:
        response.contact_id = contact_ids.get(email.lower()) if email else None
        response.submitted_at = response.status_changed_at = response.created_at
        db.session.add(ResponseEvent(
            response_id=response.id, at=response.created_at, actor_type="organisation",
            from_status=None, to_status="in_moderation", text=response.text))
        if response.status == "approved":
            response.status_changed_at = response.decided_at = response.approved_at
            db.session.add(ResponseEvent(
                response_id=response.id, at=response.approved_at, actor_type="editor",
                from_status="in_moderation", to_status="approved", text=response.text))
    db.session.commit()


#: organisations that asked to take part and wait for the editors
DEMO_SIGN_UPS = (
    ("Zorgnetwerk De Linde vzw", "WZC De Linde, Lindestraat 4, 9300 Aalst\n"
     "Dagverzorging De Linde, Lindestraat 6, 9300 Aalst", "ouderenzorg", "Hilde Martens",
     "Wij willen graag meedoen vanaf januari."),
    ("Kinderdagverblijf Het Nestje", "Het Nestje, Schoolstraat 12, 3000 Leuven",
     "kinderopvang", "Sam De Smet", ""),
)


def write_sign_ups():
    sectors = {s.slug: s.id for s in db.session.scalars(select(Sector))}
    for n, (organisation, locations, sector, name, message) in enumerate(DEMO_SIGN_UPS, 1):
        db.session.add(SignUp(
            organisation=organisation, locations=locations, contact_name=name,
            email=f"aanmelding{n}@demo.wdp.test", message=message, sector_id=sectors[sector],
            created_at=DEMO_TODAY - timedelta(days=3 * n)))
    db.session.commit()


def summary_rows():
    """Per sector: locations, listed, published ratings, average score, good share, responses."""
    published = Rating.status == Status.PUBLISHED
    rows = []
    for sector in db.session.scalars(select(Sector).order_by(Sector.position)):
        in_sector = Location.sector_id == sector.id
        total = db.session.scalar(select(func.count(Location.id)).where(in_sector))
        listed = db.session.scalar(select(func.count(Location.id)).where(in_sector, is_listed()))
        count, average, good = db.session.execute(
            select(func.count(Rating.id), func.avg(Rating.overall_score),
                   func.sum(case((Rating.overall_score.in_(GOOD_SCORES), 1), else_=0)))
            .join(Location, Rating.location_id == Location.id).where(in_sector, published)).one()
        responses = db.session.scalar(
            select(func.count(Response.id)).join(Rating).join(Location)
            .where(in_sector, Response.status == "approved"))
        rows.append((sector.slug, total, listed, count, float(average or 0),
                     (good or 0) / count if count else 0.0, responses))
    return rows


@click.command("demo")
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option("--locations", "n_locations", default=400, show_default=True,
              type=click.IntRange(min=20, max=5000), help="How many locations.")
@click.option("--ratings", "n_ratings", default=3000, show_default=True,
              type=click.IntRange(min=0), help="How many published ratings.")
@click.option("--force", is_flag=True,
              help="Also empty a database that holds locations from a real register.")
@with_appcontext
def demo_command(seed, n_locations, n_ratings, force):
    """Empty the database and fill it with seeded demo locations and ratings."""
    started = time.perf_counter()
    upgrade()
    foreign = db.session.scalar(select(func.count(Location.id)).where(
        Location.register_source != DEMO_SOURCE))
    db.session.rollback()
    if foreign and not force:
        raise click.ClickException(
            f"This database holds {foreign} locations that are not demo data. "
            "The demo empties every table: use --force if that is what you want.")
    empty_database()
    build_demo(seed, n_locations, n_ratings)
    click.echo(f"Demo data built with seed {seed} in {time.perf_counter() - started:.1f} s.")
    click.echo(f"{'sector':<14}{'locations':>10}{'listed':>8}{'ratings':>9}{'average':>9}"
               f"{'good':>7}{'responses':>11}")
    for slug, total, listed, count, average, good, responses in summary_rows():
        click.echo(f"{slug:<14}{total:>10}{listed:>8}{count:>9}{average:>9.2f}"
                   f"{good:>7.0%}{responses:>11}")
    click.echo("Try the organisation side with this link (demo only; real links go by mail):")
    click.echo(f"  {demo_organisation_link()}")


def demo_organisation_link():
    """A fresh link for the contact of the listed location with the most published ratings."""
    from wdp.mail.outbox import link_to
    from wdp.organisations.access import contact_for, issue_link
    email = db.session.scalar(
        select(Location.contact_email)
        .where(is_listed(), Location.contact_email.is_not(None))
        .order_by((Location.score_1_count + Location.score_2_count + Location.score_3_count
                   + Location.score_4_count + Location.score_5_count).desc(), Location.id)
        .limit(1))
    raw = issue_link(contact_for(email))
    db.session.commit()
    return link_to("organisations.link", token=raw)
