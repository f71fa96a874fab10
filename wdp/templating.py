"""Template globals and filters shared by every page: sectors, languages, scores, dates."""
from datetime import date
from functools import lru_cache

from flask import current_app, g, request
from flask_babel import format_date, format_decimal, format_percent, get_locale

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
    return _score_word(int(score), str(get_locale()))


def percent(value):
    return _percent(round(value * 100), str(get_locale()))


def public_date(value, location):
    """Month and year, or only the year at a location with few ratings (anonymity)."""
    if value is None:
        return ""
    if location.published_count < current_app.config["WDP_MIN_RATINGS_FOR_MONTH"]:
        return str(value.year)
    return _month_year(value.year, value.month, str(get_locale()))


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")

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
