"""Nieuw op het platform: per sector the listed locations whose current agreement was signed in
the last three months, newest first, with the month they joined; an empty state per sector."""
from datetime import date, datetime

import pytest

from tests.factories import make_location
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.locations.operations import end_participation, start_participation
from wdp.participation.queries import months_before

URL = "/nieuw"


def joined(name, signed_on, **fields):
    location = make_location(name=name, participating=False, **fields)
    start_participation(location, signed_on)
    return location


@pytest.fixture
def locations(app, clock):
    """Today is 2 March 2026 (the clock): the window starts on 2 December 2025."""
    with app.app_context():
        ids = {
            "march": joined("WZC Maart", date(2026, 3, 1), municipality="Gent").id,
            "december": joined("WZC December", date(2025, 12, 2), municipality="Lier").id,
            "childcare": joined("Kribbe Zon", date(2026, 2, 20), sector="kinderopvang",
                                municipality="Leuven").id,
        }
        joined("WZC Te Oud", date(2025, 12, 1))
        make_location(name="WZC Al Lang")
        joined("WZC Toekomst", date(2026, 4, 1))
        gone = joined("WZC Gestopt", date(2026, 1, 10))
        end_participation(gone, date(2026, 2, 1))
        joined("WZC Onderzoek", date(2026, 2, 1), register_status="in onderzoek")
        joined("WZC Weg", date(2026, 2, 1), in_register=False)
        again = joined("WZC Opnieuw", date(2024, 1, 1), municipality="Mol")
        end_participation(again, date(2025, 6, 1))
        start_participation(again, date(2026, 2, 15))
        ids["again"] = again.id
        db.session.commit()
        return ids


def sections(soup):
    """{sector heading: [(name, link, text of the card)]} or the empty-state text."""
    found = {}
    for section in soup.select("main section"):
        heading = section.select_one("h2").get_text(strip=True)
        cards = section.select(".location-card")
        found[heading] = ([(c.select_one("h3 a").get_text(strip=True), c.select_one("h3 a")["href"],
                            c.get_text(" ", strip=True)) for c in cards]
                          if cards else section.select_one("p").get_text(strip=True))
    return found


EMPTY = "In de laatste drie maanden kwamen er in deze sector geen nieuwe locaties bij."


def test_newcomers_per_sector_newest_first(client, locations):
    soup = checked_page(client, URL)
    assert soup.select_one("h1").get_text(strip=True) == "Nieuw op het platform"
    assert soup.title.get_text().startswith("Nieuw op het platform")
    found = sections(soup)
    assert list(found) == ["Ouderenzorg", "Kinderopvang", "Jeugdhulp", "Personen met een handicap"]
    elder = found["Ouderenzorg"]
    assert [name for name, _link, _text in elder] == ["WZC Maart", "WZC Opnieuw", "WZC December"]
    assert [link for _name, link, _text in elder] == [
        f"/ouderenzorg/locatie/{locations[key]}" for key in ("march", "again", "december")]
    assert "Doet mee sinds maart 2026" in elder[0][2] and "Gent" in elder[0][2]
    assert "Doet mee sinds februari 2026" in elder[1][2]
    assert "Doet mee sinds december 2025" in elder[2][2]
    assert [name for name, _link, _text in found["Kinderopvang"]] == ["Kribbe Zon"]
    assert found["Kinderopvang"][0][1] == f"/kinderopvang/locatie/{locations['childcare']}"
    assert found["Jeugdhulp"] == EMPTY and found["Personen met een handicap"] == EMPTY
    # Every link opens the public page of the location.
    for _name, link, _text in elder + found["Kinderopvang"]:
        assert client.get(link).status_code == 200, link


def test_the_window_moves_with_the_clock(client, clock, locations):
    clock.set(datetime(2026, 3, 3, 8, 0))
    names = [name for name, _l, _t in sections(checked_page(client, URL))["Ouderenzorg"]]
    assert names == ["WZC Maart", "WZC Opnieuw"]
    clock.set(datetime(2026, 4, 1, 8, 0))
    names = [name for name, _l, _t in sections(checked_page(client, URL))["Ouderenzorg"]]
    assert names == ["WZC Toekomst", "WZC Maart", "WZC Opnieuw"]
    clock.set(datetime(2026, 7, 2, 8, 0))
    assert sections(checked_page(client, URL))["Ouderenzorg"] == EMPTY


def test_it_speaks_french_too(client, locations):
    client.get("/taal/fr")
    text = checked_page(client, URL).select_one("main").get_text(" ", strip=True)
    assert "mars 2026" in text


def test_an_empty_platform_shows_every_sector_empty(client, clock):
    found = sections(checked_page(client, URL))
    assert set(found.values()) == {EMPTY} and len(found) == 4


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 3, 2), 3, date(2025, 12, 2)),
    (date(2026, 5, 31), 3, date(2026, 2, 28)),
    (date(2024, 5, 31), 3, date(2024, 2, 29)),
    (date(2026, 1, 15), 1, date(2025, 12, 15)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected
