"""The four sectors and their kinds of location: fixed data with translated labels."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class KindInfo:
    slug: str
    label: object
    #: Sociale Kaart rubric codes that map onto this kind on import.
    rubrics: tuple = ()


@dataclass(frozen=True)
class SectorInfo:
    slug: str
    name: object
    #: one short sentence for the home page
    summary: object
    agency_name: str
    signal_email: str
    complaint_name: str
    complaint_url: str
    kinds: tuple


SECTORS = (
    SectorInfo(
        "ouderenzorg", _l("Ouderenzorg"),
        _l("Woonzorgcentra, kortverblijf en dagverzorging voor ouderen."),
        "Departement Zorg", "signalen@departementzorg.example",
        "Klachtendienst Departement Zorg", "https://www.departementzorg.be/nl/klachten",
        (
            KindInfo("woonzorgcentrum", _l("Woonzorgcentrum"), ("14.04.01",)),
            KindInfo("kortverblijf-ouderen", _l("Centrum voor kortverblijf"), ("14.04.02",)),
            KindInfo("dagverzorgingscentrum", _l("Dagverzorgingscentrum"), ("14.04.03",)),
        ),
    ),
    SectorInfo(
        "kinderopvang", _l("Kinderopvang"),
        _l("Opvang van baby's, peuters en schoolkinderen."),
        "Opgroeien", "signalen@opgroeien.example",
        "Klachtendienst Opgroeien", "https://www.opgroeien.be/klachten",
        (
            KindInfo("groepsopvang", _l("Groepsopvang"), ("10.07.02",)),
            KindInfo("samenwerkende-onthaalouders",
                     _l("Groepsopvang samenwerkende onthaalouders"), ("10.07.04",)),
            KindInfo("gezinsopvang", _l("Gezinsopvang"), ("10.07.03",)),
            KindInfo("buitenschoolse-opvang", _l("Buitenschoolse opvang"), ("10.07.05",)),
        ),
    ),
    SectorInfo(
        "jeugdhulp", _l("Jeugdhulp"),
        _l("Hulp voor kinderen en jongeren, met verblijf of zonder."),
        "Opgroeien", "signalen.jeugdhulp@opgroeien.example",
        "JO-lijn", "https://www.jo-lijn.be",
        (
            KindInfo("jeugdhulp-verblijf", _l("Jeugdhulp met verblijf"), ("11.02.01",)),
            KindInfo("jeugdhulp-ambulant", _l("Jeugdhulp zonder verblijf"), ("11.02.02",)),
        ),
    ),
    SectorInfo(
        "handicap", _l("Personen met een handicap"),
        _l("Wonen, dagondersteuning en kortverblijf voor personen met een handicap."),
        "VAPH", "signalen@vaph.example",
        "Klachtendienst VAPH", "https://www.vaph.be/klachten",
        (
            KindInfo("wonen", _l("Wonen"), ("13.09",)),
            KindInfo("dagondersteuning", _l("Dagondersteuning"), ("13.08",)),
            KindInfo("kortverblijf-handicap", _l("Kortverblijf"), ("13.10",)),
        ),
    ),
)

SECTOR_BY_SLUG = {s.slug: s for s in SECTORS}
KIND_BY_SLUG = {k.slug: k for s in SECTORS for k in s.kinds}
SECTOR_OF_KIND = {k.slug: s.slug for s in SECTORS for k in s.kinds}
KIND_BY_RUBRIC = {r: k.slug for s in SECTORS for k in s.kinds for r in k.rubrics}
