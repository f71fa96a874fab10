"""Walk the rating form with the Flask test client, the way a person would."""
import re

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.pagecheck import check_page
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.mail.outbox import rendered

THEME_STEPS = [f"thema-{n}" for n in range(1, 9)]


def csrf(soup):
    return soup.select_one("input[name=csrf_token]")["value"]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup


def post_form(client, url, data, follow=False):
    """GET the page for its CSRF token, then POST the form to its action."""
    soup = get(client, url)
    form = soup.select_one("main form[method=post]")
    payload = {"csrf_token": csrf(soup), **data}
    return client.post(form["action"], data=payload, follow_redirects=follow)


def start(client, location):
    response = post_form(client, f"/w/{location.code}", {})
    assert response.status_code == 302 and response.headers["Location"] == "/waardering/rol"
    return response


def answer(client, step, data):
    response = post_form(client, f"/waardering/{step}", data)
    assert response.status_code == 302, (step, response.status_code, response.data[:2000])
    return response.headers["Location"]


def fill_all(client, role="self", email="iemand@voorbeeld.test", scores=None):
    answer(client, "rol", {"role": role})
    scores = scores or ["5", "4", "0", "3", "5", "2", "1", "4"]
    for step, score in zip(THEME_STEPS, scores, strict=True):
        answer(client, step, {"score": score, "text": f"Tekst bij {step}."})
    answer(client, "score", {"score": "4"})
    answer(client, "ervaring", {"text": "Het eten is lekker.\nDe kamer is klein."})
    return answer(client, "email", {"email": email, "agree": "y"})


def submit(client):
    return post_form(client, "/waardering/controle", {})


def confirmation_link(app, email):
    """The confirmation link from the newest mail in the outbox to that address."""
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())).first()
        match = re.search(r"https?://\S+/bevestig/\S+", rendered(message).text)
        return match.group(0).split("/bevestig/")[1].strip()
