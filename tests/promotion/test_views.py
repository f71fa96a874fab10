"""The promotion material of a location: poster and cards as PDF, the QR code as SVG and PNG."""
import pytest

from tests.conftest import checked_page
from tests.factories import make_location
from tests.promotion.helpers import (
    decode_pdf_page,
    decode_png,
    decode_svg,
    pdf_language,
    pdf_metadata,
    pdf_pages_text,
)
from wdp.extensions import db

LINK = "http://wdp.test/w/{code}"

#: one sentence of each sector's own invitation, as printed
SECTOR_TEXT = {
    "ouderenzorg": "Woon je hier? Of komt je moeder, vader of partner hier?",
    "kinderopvang": "Gaat je kind hier naar de opvang? Vertel als ouder hoe jij de opvang vindt.",
    "jeugdhulp": "Krijg jij hier hulp? Of krijgt je kind hier hulp?",
    "handicap": "Woon je hier, of kom je hier overdag?",
}


def _location(app, sector="ouderenzorg", **fields):
    with app.app_context():
        location = make_location(sector=sector, **fields)
        code = location.code
        db.session.commit()
    return code


@pytest.fixture(autouse=True)
def _fresh_pdfs():
    # Generated PDFs are kept per worker; every test starts without them.
    from wdp.promotion.views import _cached_pdf
    _cached_pdf.cache_clear()


@pytest.mark.parametrize("sector", sorted(SECTOR_TEXT))
def test_poster_holds_name_link_and_the_sectors_own_words(app, client, sector):
    code = _location(app, sector, name="Het Anker – Sint-Niklaas")
    response = client.get(f"/promotie/{code}/affiche.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    [text] = pdf_pages_text(response.data)
    assert "Het Anker – Sint-Niklaas" in text
    assert LINK.format(code=code) in text
    assert SECTOR_TEXT[sector] in text
    for other, sentence in SECTOR_TEXT.items():
        if other != sector:
            assert sentence not in text
    assert "Het duurt ongeveer 5 minuten." in text


def test_childcare_speaks_to_parents_never_to_users_themselves(app, client):
    code = _location(app, "kinderopvang")
    [text] = pdf_pages_text(client.get(f"/promotie/{code}/affiche.pdf").data)
    assert "als ouder" in text
    for wording in ("Woon je hier", "Krijg jij hier hulp", "kom je hier overdag"):
        assert wording not in text


def test_poster_qr_code_scans_to_the_short_link_when_printed_in_grey(app, client):
    code = _location(app)
    data = client.get(f"/promotie/{code}/affiche.pdf").data
    assert decode_pdf_page(data, dpi=150) == [LINK.format(code=code)]


def test_cards_sheet_has_four_cards_each_with_name_link_and_working_qr_code(app, client):
    code = _location(app, "handicap", name="De Klaproos")
    response = client.get(f"/promotie/{code}/kaartjes.pdf")
    assert response.status_code == 200
    [text] = pdf_pages_text(response.data)
    link = LINK.format(code=code)
    assert text.count(link) == 4
    assert text.count("De Klaproos") == 4
    assert text.count(SECTOR_TEXT["handicap"]) == 4
    assert decode_pdf_page(response.data, dpi=200) == [link] * 4


@pytest.mark.parametrize("kind, title", [
    ("affiche", "Affiche: schrijf een waardering over De Linde"),
    ("kaartjes", "Kaartjes: schrijf een waardering over De Linde"),
])
def test_pdfs_have_a_title_a_language_and_tags(app, client, kind, title):
    code = _location(app, name="De Linde")
    data = client.get(f"/promotie/{code}/{kind}.pdf").data
    metadata, pages, tagged = pdf_metadata(data)
    assert metadata["Title"] == title
    assert pages == 1
    assert tagged
    assert pdf_language(data) == "nl"


def test_pdf_follows_the_visitors_language(app, client):
    code = _location(app)
    client.set_cookie("lang", "fr")
    response = client.get(f"/promotie/{code}/affiche.pdf")
    assert pdf_language(response.data) == "fr"
    assert "Cookie" in response.headers["Vary"]


def test_pdf_download_headers(app, client):
    code = _location(app, name="Woonzorgcentrum Ter Lïnde (Gent)")
    response = client.get(f"/promotie/{code}/affiche.pdf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="affiche-woonzorgcentrum-ter-linde-gent-{code}.pdf"')
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    cards = client.get(f"/promotie/{code}/kaartjes.pdf")
    assert cards.headers["Content-Disposition"] == (
        f'attachment; filename="kaartjes-woonzorgcentrum-ter-linde-gent-{code}.pdf"')
    # A second download of an unchanged poster costs no transfer.
    again = client.get(f"/promotie/{code}/affiche.pdf",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_renamed_location_gets_a_new_poster(app, client):
    from wdp.locations.models import Location
    code = _location(app, name="Oude Naam")
    assert "Oude Naam" in pdf_pages_text(client.get(f"/promotie/{code}/affiche.pdf").data)[0]
    with app.app_context():
        location = db.session.scalar(db.select(Location).where(Location.code == code))
        location.name = "Nieuwe Naam"
        db.session.commit()
    [text] = pdf_pages_text(client.get(f"/promotie/{code}/affiche.pdf").data)
    assert "Nieuwe Naam" in text and "Oude Naam" not in text


def test_qr_code_as_png_decodes_to_the_short_link(app, client):
    code = _location(app, name="De Linde")
    response = client.get(f"/promotie/{code}/qr-code.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="qr-code-de-linde-{code}.png"')
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert decode_png(response.data) == [LINK.format(code=code)]


def test_qr_code_as_svg_is_vector_and_decodes_to_the_short_link(app, client):
    code = _location(app, name="De Linde")
    response = client.get(f"/promotie/{code}/qr-code.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="qr-code-de-linde-{code}.svg"')
    svg = response.data.decode()
    assert "<path" in svg and "<image" not in svg
    assert f"<title>QR-code naar {LINK.format(code=code)}</title>" in svg
    assert decode_svg(response.data) == [LINK.format(code=code)]


def test_overview_page_links_every_download(app, client):
    code = _location(app, name="De Linde")
    page = checked_page(client, f"/promotie/{code}/")
    assert page.h1.get_text(strip=True) == "Affiches en kaartjes voor De Linde"
    hrefs = {a["href"] for a in page.select("main a[download]")}
    assert hrefs == {f"/promotie/{code}/{name}" for name in
                     ("affiche.pdf", "kaartjes.pdf", "qr-code.svg", "qr-code.png")}
    assert page.select_one(f"main a[href='{LINK.format(code=code)}']")


@pytest.mark.parametrize("path", ["", "affiche.pdf", "kaartjes.pdf", "qr-code.svg", "qr-code.png"])
def test_unknown_unlisted_or_malformed_code_is_the_friendly_404(app, client, path):
    offline = _location(app, participating=False)
    stopped = _location(app, register_status="stopgezet")
    for code in ("zzzzzz", offline, stopped, "x" * 40, "%00", "t0000'"):
        page = checked_page(client, f"/promotie/{code}/{path}", status=404)
        assert page.h1.get_text(strip=True) == "Deze pagina bestaat niet"


def test_pdfs_fetch_nothing_from_outside(app, tmp_path):
    """A document that asks for a local file or another site gets nothing."""
    from wdp.promotion.pdf import html_to_pdf
    sheet = tmp_path / "sheet.css"
    sheet.write_text('p::after { content: " GELADEN"; }')
    html = (f'<html lang="nl"><head><title>t</title><link rel="stylesheet" href="{sheet.as_uri()}">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body><p>ok</p></body></html>')
    with app.app_context():
        [text] = pdf_pages_text(html_to_pdf(html))
    assert text == "ok"
    # The same document with fetching on would show the word: the check above can fail.
    from weasyprint import HTML
    [loaded] = pdf_pages_text(HTML(string=html).write_pdf())
    assert loaded == "ok GELADEN"
