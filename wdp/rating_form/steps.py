"""The order of the form's steps, the roles per sector, and which wording a role gets."""
from flask_babel import lazy_gettext as _l

THEME_COUNT = 8
#: the questions in order; "controle" (check your answers) follows them
QUESTION_STEPS = ("rol", *(f"thema-{n}" for n in range(1, THEME_COUNT + 1)),
                  "score", "ervaring", "email")
CHECK_STEP = "controle"
ALL_STEPS = (*QUESTION_STEPS, CHECK_STEP)

ROLES_BY_SECTOR = {
    "ouderenzorg": ("self", "family", "representative", "supporter", "staff"),
    "kinderopvang": ("parent", "family", "supporter", "staff"),
    "jeugdhulp": ("self", "parent", "family", "representative", "supporter", "staff"),
    "handicap": ("self", "parent", "family", "representative", "supporter", "staff"),
}

ROLE_LABELS = {
    "self": (_l("Ik krijg hier zelf zorg"), _l("Je schrijft over je eigen ervaring.")),
    "parent": (_l("Ik ben de ouder"), _l("Je kind krijgt hier zorg of hulp.")),
    "family": (_l("Ik ben familie of mantelzorger"),
               _l("Je zorgt mee voor iemand die hier zorg krijgt.")),
    "representative": (_l("Ik ben wettelijk vertegenwoordiger"),
                       _l("Je mag beslissen voor iemand. Een rechter heeft dat zo bepaald.")),
    "supporter": (_l("Ik help iemand om dit in te vullen"),
                  _l("Je bent steunfiguur of vrijwilliger. Je schrijft op wat de persoon "
                     "je vertelt.")),
    "staff": (_l("Ik werk hier en vul dit in voor een gebruiker"),
              _l("Alleen als de gebruiker dat vraagt. Je schrijft op wat de gebruiker "
                 "vertelt, niet wat jij denkt.")),
}

#: wording that fits a sector better than the general one
SECTOR_ROLE_LABELS = {
    ("jeugdhulp", "self"): (_l("Ik krijg hier zelf hulp"), _l("Je schrijft over wat jij meemaakt.")),
    ("kinderopvang", "parent"): (_l("Ik ben de ouder"), _l("Je kind gaat naar deze opvang.")),
    ("kinderopvang", "family"): (_l("Ik ben familie, bijvoorbeeld een grootouder"),
                                 _l("Je brengt of haalt het kind soms.")),
}

#: roles that write down what someone else tells them
HELPER_ROLES = ("supporter", "staff")


def role_options(sector_slug):
    """(value, label, hint) for each role that fits the sector."""
    return [(role, *SECTOR_ROLE_LABELS.get((sector_slug, role), ROLE_LABELS[role]))
            for role in ROLES_BY_SECTOR[sector_slug]]


def speaks_to_user(sector_slug, role):
    """True when the questions address the person themselves ("jij")."""
    return role == "self" or (sector_slug == "kinderopvang" and role == "parent")


def question_number(step):
    return QUESTION_STEPS.index(step) + 1


def next_step(step):
    index = ALL_STEPS.index(step)
    return ALL_STEPS[index + 1]


def previous_step(step):
    index = ALL_STEPS.index(step)
    return ALL_STEPS[index - 1] if index else None
