"""Template globals and filters shared by every page: sectors, languages, scores, dates."""
from datetime import date
from functools import lru_cache

from flask import current_app, g, request
from flask.globals import _cv_app
from flask_babel import format_date, format_decimal, format_percent, get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

from wdp.rating_form.scale import ROLE_GROUP, ROLE_GROUP_LABELS, SCORE_WORDS, face_image
from wdp.sectors.catalog import SECTORS

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


# The helpers below are pure functions of their arguments and the locale, called many times
# a page (a location page shows dozens of scores and dates), so their results are memoised.

@lru_cache(maxsize=512)
def _month_year(year, month, locale):
    return format_date(date(year, month, 1), "MMMM y")


@lru_cache(maxsize=512)
def _percent(whole_percent, locale):
    return format_percent(whole_percent / 100, "#,##0 %")


@lru_cache(maxsize=64)
def _score_word(score, locale):
    return str(SCORE_WORDS[int(score)])


def score_word(score):
    """The word for a score (1-5) in the current language."""
    return _score_word(int(score), current_locale_name())


@lru_cache(maxsize=8)
def _role_labels(locale):
    return {role: str(ROLE_GROUP_LABELS[group]) for role, group in ROLE_GROUP.items()}


def role_labels():
    """{role: the words for its group} in the current language (the meta line of a rating)."""
    return _role_labels(current_locale_name())


def percent(value):
    return _percent(round(value * 100), current_locale_name())


def public_date(value, location):
    """Month and year, or only the year at a location with few ratings (anonymity)."""
    if value is None:
        return ""
    if location.published_count < current_app.config["WDP_MIN_RATINGS_FOR_MONTH"]:
        return str(value.year)
    return _month_year(value.year, value.month, current_locale_name())


def _catalog():
    """(translations, locale name) of the current locale, found once per request and locale.

    flask_babel finds them again on every call (three lookups of its context on ``g``, about
    15 µs), and a page asks dozens of times. They are kept beside flask_babel's own locale on
    that context and checked by identity, so ``force_locale`` (mails in another language)
    still gets its own, and the request's again afterwards.
    """
    app_context = _cv_app.get(None)
    babel_context = app_context.g.__dict__.get("_flask_babel") if app_context else None
    locale = getattr(babel_context, "babel_locale", None)
    if locale is None:  # outside a request, or the locale not chosen yet: flask_babel does it
        return get_translations(), str(get_locale())
    kept = getattr(babel_context, "wdp_catalog", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = (get_translations(), str(locale))
    babel_context.wdp_catalog = (locale, found)
    return found


def current_translations():
    """The catalog of the current locale (see _catalog)."""
    return _catalog()[0]


def current_locale_name():
    """The current locale as text, e.g. "nl" (see _catalog): the key of memoised helpers."""
    return _catalog()[1]


# The parameters have Jinja's own "__" names, so no %(name)s variable can clash with them.

@pass_eval_context
def template_gettext(__eval_context, __string, **variables):
    """_() in templates: jinja2.ext's newstyle gettext through current_translations()."""
    text = current_translations().ugettext(__string)
    if __eval_context.autoescape:
        text = Markup(text)
    return text % variables


@pass_eval_context
def template_ngettext(__eval_context, __singular, __plural, __num, **variables):
    """ngettext() in templates: jinja2.ext's newstyle ngettext, as template_gettext."""
    variables.setdefault("num", __num)
    text = current_translations().ungettext(__singular, __plural, __num)
    if __eval_context.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    # The templates' _() and ngettext(): Jinja's "newstyle" gettext (escaped variables,
    # always formatted) through the catalog kept for the request, in one call instead of
    # Jinja's three nested context calls (about 10 µs each, dozens a page).
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext,
                                 ngettext=template_ngettext)

    # Globals (unlike context processors) are visible inside imported macros too.
    app.jinja_env.globals.update(
        all_sectors=SECTORS,
        languages=LANGUAGE_NAMES,
        score_words=SCORE_WORDS,
        score_word=score_word,
        face_image=face_image,
        # static URLs of the face pictures, built once instead of url_for() per score
        face_urls={s: f"{app.static_url_path}/{face_image(s)}" for s in range(1, 6)},
        help_phone=app.config["WDP_HELP_PHONE"],
        help_email=app.config["WDP_HELP_EMAIL"],
    )

    @app.context_processor
    def _request_globals():
        return {
            "current_lang": getattr(g, "lang", "nl"),
            "here": request.full_path.rstrip("?"),
        }

    app.add_template_filter(public_date, "public_date")
    app.add_template_filter(lambda role: ROLE_GROUP_LABELS[ROLE_GROUP[role]], "role_group")
    app.add_template_filter(lambda v: format_decimal(v, "0.0"), "one_decimal")
    app.add_template_filter(percent, "percent")
