"""Filling in the participation forms with the test client, as a person does."""
from bs4 import BeautifulSoup

from tests.pagecheck import check_page, checked_page
from tests.rating_form.helpers import csrf

SIGN_UP = "/deelnemen"
GOOD = {
    "organisation": "Zorggroep Zonneweelde",
    "locations": "WZC Zonneweelde, Gent\n\n  Dagverzorging De Klaproos, Aalst  \n",
    "sector": "ouderenzorg",
    "contact_name": "Lies Maes",
    "email": "lies.maes@zonneweelde.test",
    "phone": "09 123 45 67",
    "message": "Bel liefst in de voormiddag.",
}


def page(response):
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup


def summary(soup):
    """The texts of the error summary's links, in order."""
    return [a.get_text(strip=True) for a in soup.select(".error-summary a")]


def field_errors(soup):
    """{field id: its message without the hidden "Fout:"}."""
    return {p["id"].removesuffix("-error"): p.get_text(" ", strip=True).removeprefix("Fout:").strip()
            for p in soup.select("p.field-error")}


def post_page(client, url, data, page_url=None):
    """Load the page (for its CSRF token) and POST the data to url."""
    token = csrf(checked_page(client, page_url or url))
    return client.post(url, data={"csrf_token": token, **data})


def sign_up(client, **changes):
    data = {**GOOD, **changes}
    return post_page(client, SIGN_UP, {k: v for k, v in data.items() if v is not None})
