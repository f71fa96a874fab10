"""axe-core scans of every public page at 1280 px and 320 px wide, and no sideways scroll."""
import pytest

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll
from tests.factories import make_location, make_rating


@pytest.fixture
def urls(app):
    from wdp.extensions import db
    with app.app_context():
        location = make_location(name="WZC De Linde", municipality="Antwerpen", postcode="2000",
                                 phone="03 123 45 67", website="https://www.delinde.test",
                                 register_url="https://register.test/fiche/1")
        ratings = [make_rating(location, score=(i % 5) + 1, text=f"Een ervaring nummer {i}. " * 5,
                               response="Dank je voor je waardering." if i % 3 == 0 else None)
                   for i in range(12)]
        few = make_location(name="Kinderdagverblijf Het Nestje", sector="kinderopvang",
                            municipality="Leuven", postcode="3000")
        make_rating(few, score=5)
        db.session.commit()
        pages = {
            "home": "/", "about": "/over", "code of conduct": "/gedragscode",
            "privacy": "/privacy", "accessibility": "/toegankelijkheid", "contact": "/contact",
            "search": "/zoeken?q=linde", "search empty": "/zoeken?q=qqqqqq",
            "location": f"/ouderenzorg/locatie/{location.id}",
            "location page 2": f"/ouderenzorg/locatie/{location.id}?pagina=2",
            "location few": f"/kinderopvang/locatie/{few.id}",
            "rating start": f"/w/{location.code}",
            "report a rating": f"/melden/{ratings[0].id}",
            "report sent": f"/melden/{ratings[0].id}/verstuurd",
            "not found": "/bestaat-niet",
        }
        for slug in ("ouderenzorg", "kinderopvang", "jeugdhulp", "handicap"):
            pages[f"{slug} home"] = f"/{slug}/"
            pages[f"{slug} search"] = f"/{slug}/zoeken?q="
        return pages


@pytest.mark.parametrize("width", [1280, 320])
def test_every_page_passes_axe_and_fits(page, live_server, axe, urls, width):
    page.set_viewport_size({"width": width, "height": 900})
    for label, url in urls.items():
        page.goto(live_server + url)
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")


@pytest.mark.parametrize("width", [1280, 320])
def test_report_form_error_state_passes_axe(page, live_server, axe, urls, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + urls["report a rating"])
    page.click("button:has-text('Verstuur je melding')")
    assert page.locator(".error-summary").count() == 1
    assert_accessible(axe, page, f"report error at {width}px")
    assert_no_sideways_scroll(page, f"report error at {width}px")
