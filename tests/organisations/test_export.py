"""CSV export: UTF-8 with a BOM for Excel, no personal data, no spreadsheet formulas, filters kept."""
import csv
import io

import pytest

from tests.organisations.helpers import ORG_EMAIL, open_session, rated_location
from wdp.extensions import db
from wdp.organisations.export import neutralised

HOSTILE = ['=HYPERLINK("http://evil.test","klik")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1"]


def _rows(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with a BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralised_puts_an_apostrophe_before_a_formula(value):
    assert neutralised(value) == "'" + value


@pytest.mark.parametrize("value", ["Goed", "", "3 sterren", "e-mail", "'al"])
def test_neutralised_leaves_plain_text_alone(value):
    assert neutralised(value) == value


def test_hostile_texts_come_out_inert_and_no_personal_data(app, client):
    ratings = [(3, text, {0: (2, text)}) for text in HOSTILE]
    location, _ids = rated_location(app, ratings=ratings, name="=Locatie+1")
    open_session(app, client, ORG_EMAIL)
    rows = _rows(client.get(f"/organisatie/locatie/{location}/waarderingen.csv"))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Locatie", "Referentienummer", "Online sinds", "Wie schreef",
                          "Score in het algemeen (1-5)", "Score in woorden", "Ervaring"]
    assert len(body) == len(HOSTILE)
    experience = header.index("Ervaring")
    theme_text = experience + 2  # the first theme: score, then text
    assert header[theme_text].endswith(": tekst")
    for row in body:
        assert row[0] == "'=Locatie+1"
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), row
    # The texts are all there, each behind its apostrophe (newest first).
    assert [row[experience] for row in body] == ["'" + t for t in reversed(HOSTILE)]
    assert [row[theme_text] for row in body] == ["'" + t for t in reversed(HOSTILE)]
    text = "\n".join(";".join(r) for r in rows)
    assert "@voorbeeld.test" not in text and ORG_EMAIL not in text  # no e-mail at all


def test_theme_answers_and_response_state_in_their_columns(app, client):
    location, ids = rated_location(app, ratings=[
        (5, "Top.", {0: (5, "Lekker."), 1: (None, "")})])
    with app.app_context():
        from wdp.organisations.models import Response
        db.session.add(Response(rating_id=ids[0], text="Dank je!", status="approved"))
        db.session.commit()
    open_session(app, client, ORG_EMAIL)
    header, row = _rows(client.get(f"/organisatie/locatie/{location}/waarderingen.csv"))
    values = dict(zip(header, row, strict=True))
    assert values["Score in het algemeen (1-5)"] == "5"
    assert values["Score in woorden"] == "Heel goed"
    assert values["Reactie"] == "Staat online" and values["Tekst van de reactie"] == "Dank je!"
    theme_scores = [h for h in header if h.endswith(": score (1-5)")]
    assert len(theme_scores) == 8
    assert values[theme_scores[0]] == "5"
    assert values[theme_scores[1]] == "Ik weet het niet of het past niet"
    assert values[theme_scores[2]] == ""  # not answered
    assert values["Referentienummer"].startswith("W-T")
    assert values["Online sinds"]  # the year (few ratings), as on the public page


def test_export_keeps_the_filters_and_all_locations_export_covers_each(app, client):
    first, _ = rated_location(app, name="Huis A", ratings=[(5, "A5", {}), (2, "A2", {})])
    second, _ = rated_location(app, name="Huis B", ratings=[(2, "B2", {})])
    rated_location(app, email="ander@elders.test", name="Elders", ratings=[(2, "X2", {})])
    open_session(app, client, ORG_EMAIL)
    rows = _rows(client.get(f"/organisatie/locatie/{first}/waarderingen.csv?score=2"))
    assert [r[6] for r in rows[1:]] == ["A2"]
    rows = _rows(client.get("/organisatie/waarderingen.csv"))
    assert sorted(r[6] for r in rows[1:]) == ["A2", "A5", "B2"]
    rows = _rows(client.get("/organisatie/waarderingen.csv?score=2"))
    assert sorted(r[6] for r in rows[1:]) == ["A2", "B2"]
    assert second
