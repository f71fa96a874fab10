"""CSV export of an organisation's published ratings: no personal data, safe to open in a spreadsheet."""
import csv
import io

from flask_babel import gettext as _

from wdp.organisations import queries
from wdp.rating_form.scale import ROLE_GROUP, ROLE_GROUP_LABELS
from wdp.templating import public_date, score_word

#: a spreadsheet reads a cell starting with one of these as a formula (or a formula's start)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Excel in Belgium and the Netherlands splits CSV on ";" (its list separator)
DELIMITER = ";"
#: ratings whose answers are read with one query
CHUNK = 500


def neutralised(value):
    """A cell value that no spreadsheet runs as a formula: a leading apostrophe where needed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


RESPONSE_WORDS = {
    "none": lambda: _("Nog geen reactie"),
    "waiting": lambda: _("Wacht op de redactie"),
    "online": lambda: _("Staat online"),
    "again": lambda: _("Niet goedgekeurd: je kunt opnieuw reageren"),
    "removed": lambda: _("Weggehaald door de redactie"),
}


def _themes(locations):
    """(sector id, key, title) of the current themes of the locations' sectors, in order."""
    seen, themes = set(), []
    for location in locations:
        if location.sector_id in seen:
            continue
        seen.add(location.sector_id)
        for theme in queries.current_themes(location.sector_id):
            themes.append((location.sector_id, theme.key, theme.text("title", "nl")))
    return themes


def ratings_csv(locations, filters):
    """The CSV text (with a BOM, so Excel reads UTF-8) of the published ratings that the
    filters keep, one row per rating, for one or more locations."""
    themes = _themes(locations)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    header = [_("Locatie"), _("Referentienummer"), _("Online sinds"), _("Wie schreef"),
              _("Score in het algemeen (1-5)"), _("Score in woorden"), _("Ervaring")]
    for _sector, _key, title in themes:
        header += [_("%(theme)s: score (1-5)", theme=title), _("%(theme)s: tekst", theme=title)]
    header += [_("Reactie"), _("Tekst van de reactie")]
    writer.writerow([neutralised(cell) for cell in header])
    for location in locations:
        ratings = queries.all_ratings(location, filters)
        for start in range(0, len(ratings), CHUNK):
            chunk = ratings[start:start + CHUNK]
            answers = queries.answers_of(chunk)
            for rating in chunk:
                by_key = {a.key: a for a in answers.get(rating.id, ())}
                row = [location.name, rating.reference or "",
                       public_date(rating.published_at, location),
                       str(ROLE_GROUP_LABELS[ROLE_GROUP[rating.role]]),
                       rating.overall_score, score_word(rating.overall_score),
                       rating.experience_text]
                for sector, key, _title in themes:
                    answer = by_key.get(key) if sector == location.sector_id else None
                    if answer is None:
                        row += ["", ""]
                    else:
                        row += [answer.score or _("Ik weet het niet of het past niet"), answer.text]
                state = queries.response_state(rating.response.status if rating.response
                                               else None)
                row += [RESPONSE_WORDS[state](),
                        rating.response.text if state in ("online", "waiting") else ""]
                writer.writerow([neutralised(cell) for cell in row])
    return out.getvalue()
