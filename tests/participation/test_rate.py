"""The participation rate per sector and kind, counted from the agreements: only active register
entries count; "in onderzoek", stopped, unregistered, ended and future agreements do not."""
from datetime import date

import pytest

from tests.factories import make_location
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.locations.operations import end_participation, start_participation
from wdp.participation.queries import participation_rates

BASE = "/redactie/beheer/deelname"


@pytest.fixture
def locations(app):
    """Ouderenzorg: 5 active (2 participating today), 4 not counted; one in kinderopvang."""
    with app.app_context():
        make_location(name="A doet mee")
        make_location(name="B zonder overeenkomst", participating=False)
        ended = make_location(name="C gestopt")
        end_participation(ended, date(2026, 1, 1))
        later = make_location(name="D begint later", participating=False)
        start_participation(later, date(2026, 4, 1))
        make_location(name="E kortverblijf", kind="kortverblijf-ouderen")
        make_location(name="F onderzoek met overeenkomst", register_status="in onderzoek")
        make_location(name="G onderzoek", register_status="in onderzoek", participating=False)
        make_location(name="H stopgezet", register_status="stopgezet", participating=False)
        make_location(name="I uit het register", in_register=False)
        make_location(name="J opvang", sector="kinderopvang")
        db.session.commit()


def test_the_rate_is_counted_from_the_agreements(app, clock, locations):
    with app.test_request_context():
        rates = {rate.sector.slug: rate for rate in participation_rates()}
        elder = rates["ouderenzorg"]
        assert (elder.total.active, elder.total.participating) == (5, 2)
        assert elder.total.share == pytest.approx(0.4)
        kinds = {str(row.label): (row.active, row.participating) for row in elder.kinds}
        assert kinds == {"Woonzorgcentrum": (4, 1), "Centrum voor kortverblijf": (1, 1),
                         "Dagverzorgingscentrum": (0, 0)}
        assert elder.kinds[2].share is None
        left_out = [(e.status, e.in_register, e.locations, e.with_agreement)
                    for e in elder.not_counted]
        assert left_out == [("in onderzoek", True, 2, 1), ("stopgezet", True, 1, 0),
                            ("", False, 1, 1)]
        childcare = rates["kinderopvang"]
        assert (childcare.total.active, childcare.total.participating) == (1, 1)
        assert childcare.not_counted == []
        assert (rates["jeugdhulp"].total.active, rates["handicap"].total.active) == (0, 0)
        # On another day other agreements are current.
        later = {rate.sector.slug: rate for rate in participation_rates(date(2026, 4, 1))}
        assert later["ouderenzorg"].total.participating == 3
        earlier = {rate.sector.slug: rate for rate in participation_rates(date(2025, 12, 31))}
        assert earlier["ouderenzorg"].total.participating == 3


def test_the_page_shows_the_counts_so_they_can_be_checked(admin, locations):
    soup = checked_page(admin, f"{BASE}/")
    table = soup.select_one("#rates-ouderenzorg")
    assert table.select_one("caption").get_text(strip=True) == "Deelname in Ouderenzorg"
    rows = [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
            for tr in table.select("tbody tr, tfoot tr")]
    assert rows == [["Woonzorgcentrum", "4", "1", "25 %"],
                    ["Centrum voor kortverblijf", "1", "1", "100 %"],
                    ["Dagverzorgingscentrum", "0", "0", "— geen locaties"],
                    ["Totaal", "5", "2", "40 %"]]
    region = table.find_parent("div")
    assert region["role"] == "region" and region["tabindex"] == "0"
    left_out = [li.get_text(" ", strip=True) for li in
                table.find_parent("div").find_next_sibling("ul").select("li")]
    assert left_out == [
        "2 locaties, status in het register: in onderzoek; 1 daarvan heeft een lopende "
        "overeenkomst, maar staat niet online",
        "1 locatie, status in het register: stopgezet",
        "1 locatie, niet meer in het register; 1 daarvan heeft een lopende overeenkomst, maar "
        "staat niet online"]


def test_the_public_counts_use_the_same_definition(app, client, clock, locations):
    """What the public search shows as online is exactly the rate's "participating"."""
    with app.app_context():
        rates = {rate.sector.slug: rate for rate in participation_rates()}
    for slug in ("ouderenzorg", "kinderopvang", "jeugdhulp"):
        soup = checked_page(client, f"/{slug}/zoeken?q=")
        shown = len(soup.select("#results .location-card"))
        assert shown == rates[slug].total.participating, slug
    names = [a.get_text(strip=True) for a in
             checked_page(client, "/ouderenzorg/zoeken?q=").select("#results h3 a")]
    assert names == ["A doet mee", "E kortverblijf"]
