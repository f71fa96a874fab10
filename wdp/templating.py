"""Template globals and filters shared by every page: sectors, languages, scores, dates."""
from flask import current_app, g, request
from flask_babel import format_date, format_decimal, format_percent

from wdp.rating_form.scale import ROLE_GROUP, ROLE_GROUP_LABELS, SCORE_WORDS, face_image
from wdp.sectors.catalog import SECTORS

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def public_date(value, location):
    """Month and year, or only the year at a location with few ratings (anonymity)."""
    if value is None:
        return ""
    if location.published_count < current_app.config["WDP_MIN_RATINGS_FOR_MONTH"]:
        return str(value.year)
    return format_date(value, "MMMM y")


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")

    # Globals (unlike context processors) are visible inside imported macros too.
    app.jinja_env.globals.update(
        all_sectors=SECTORS,
        languages=LANGUAGE_NAMES,
        score_words=SCORE_WORDS,
        face_image=face_image,
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
    app.add_template_filter(lambda v: format_percent(v, "#,##0 %"), "percent")
