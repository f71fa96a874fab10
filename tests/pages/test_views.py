"""The site pages: content, the language switch and error pages."""
import pytest

from tests.conftest import checked_page


@pytest.mark.parametrize("url", ["/", "/over", "/gedragscode", "/privacy", "/toegankelijkheid",
                                 "/contact"])
def test_site_pages_render(client, url):
    soup = checked_page(client, url)
    assert soup.select_one("a.help-link")["href"] == "/contact"


def test_home_says_it_is_not_a_complaints_channel_and_links_every_channel(client):
    soup = checked_page(client, "/")
    text = soup.get_text(" ")
    assert "geen klachtenlijn" in text
    hrefs = {a["href"] for a in soup.select(".notice a")}
    assert {"https://www.departementzorg.be/nl/klachten", "https://www.opgroeien.be/klachten",
            "https://www.jo-lijn.be", "https://www.vaph.be/klachten"} <= hrefs
    sectors = [a.get_text(strip=True) for a in soup.select(".sector-card h3 a")]
    assert sectors == ["Ouderenzorg", "Kinderopvang", "Jeugdhulp", "Personen met een handicap"]


def test_language_switch_keeps_the_page(client):
    response = client.get("/taal/fr?next=/over")
    assert response.status_code == 302 and response.headers["Location"] == "/over"
    soup = checked_page(client, "/over")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "À propos de WDP"


# Browsers drop tabs and line breaks from a URL: "/<tab>/evil.test" would become "//evil.test".
@pytest.mark.parametrize("target", ["https://evil.test/", "//evil.test/x", "/\\evil.test",
                                    "/\t/evil.test", "/\n/evil.test", "/\r\n/evil.test",
                                    "/ /evil.test", "/\x00/x"])
def test_language_switch_never_leaves_the_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    checked_page(client, "/taal/de?next=/", status=404)


def test_unknown_page_is_a_styled_404(client):
    soup = checked_page(client, "/bestaat/niet", status=404)
    assert soup.h1.get_text(strip=True) == "Deze pagina bestaat niet"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_or_styles(client):
    soup = checked_page(client, "/")
    assert all(s.get("src") for s in soup.select("script"))
    assert not soup.select("style, [style]")
    assert soup.select_one("meta[name=htmx-config]")["content"].find(
        '"includeIndicatorStyles": false') >= 0
