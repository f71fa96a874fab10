"""The item page's per-worker copies: reasons, message starts and themes kept a few seconds,
the decision forms rendered once per language and wording, the details in one query."""
import pytest
from sqlalchemy import event, select

from tests.editors.helpers import get
from tests.moderation.test_inbox import add_waiting
from tests.moderation.test_inbox_decisions import decide
from wdp import kept
from wdp.extensions import db
from wdp.moderation.models import MessageTemplate, Reason
from wdp.rating_form.models import Rating
from wdp.sectors.models import Theme


@pytest.fixture
def kept_seconds(app, monkeypatch):
    """The production behaviour: copies kept 5 seconds of a clock the test moves."""
    moment = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: moment[0])
    app.config["WDP_SETTINGS_CACHE_SECONDS"] = 5
    app.extensions.pop(kept.STORE, None)
    yield moment
    app.config["WDP_SETTINGS_CACHE_SECONDS"] = 0
    app.extensions.pop(kept.STORE, None)


def reason_labels(soup):
    return [label.get_text(strip=True) for label in soup.select("#decide-reject label")
            if label.get("for", "").startswith("reasons-")]


def first_reason(app):
    with app.app_context():
        return db.session.scalars(select(Reason).where(Reason.active)
                                  .order_by(Reason.position, Reason.id)).first().key


def set_label(app, key, label):
    with app.app_context():
        reason = db.session.scalars(select(Reason).where(Reason.key == key)).one()
        reason.label_nl = label
        db.session.commit()


def test_an_edited_reason_shows_within_the_kept_seconds(app, signed_in, clock, kept_seconds):
    first = add_waiting(app, clock, minutes_ago=300)
    second = add_waiting(app, clock, minutes_ago=200)
    key = first_reason(app)
    before = reason_labels(get(signed_in, f"/redactie/inbox/{first}"))
    assert before and "Nieuwe reden" not in before
    set_label(app, key, "Nieuwe reden")
    # Another worker's edit: this worker shows its copy of a moment ago...
    assert reason_labels(get(signed_in, f"/redactie/inbox/{second}")) == before
    kept_seconds[0] += 6
    # ... and reads the reasons again once it is older than the kept seconds.
    assert "Nieuwe reden" in reason_labels(get(signed_in, f"/redactie/inbox/{second}"))


def test_the_rendered_decisions_follow_every_edit_without_keeping(app, signed_in, clock):
    """The decision forms are rendered once per wording: an edited reason or message start
    is a new wording (copies are not kept in the tests: WDP_SETTINGS_CACHE_SECONDS = 0)."""
    first = add_waiting(app, clock, minutes_ago=300)
    second = add_waiting(app, clock, minutes_ago=200)
    key = first_reason(app)
    soup = get(signed_in, f"/redactie/inbox/{first}")
    assert soup.select_one("#decide-reject form")["action"] == f"/redactie/inbox/{first}"
    set_label(app, key, "Andere woorden")
    with app.app_context():
        template = db.session.scalars(select(MessageTemplate).where(
            MessageTemplate.key == "rejected", MessageTemplate.language == "nl")).one()
        template.body = "Een nieuw begin van het bericht."
        db.session.commit()
    soup = get(signed_in, f"/redactie/inbox/{second}")
    assert "Andere woorden" in reason_labels(soup)
    assert soup.select_one("textarea[name=reject_message]").get_text() == (
        "Een nieuw begin van het bericht.")
    # Each page's forms go to its own rating, with this session's token: deciding works.
    assert {form["action"] for form in soup.select(".decision form")} == {
        f"/redactie/inbox/{second}"}
    response = decide(signed_in, second, {"decision": "approved"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Rating, second).status == "approved"


def test_a_theme_added_a_moment_ago_is_read_at_once(app, signed_in, clock, kept_seconds):
    first = add_waiting(app, clock, minutes_ago=300)
    get(signed_in, f"/redactie/inbox/{first}")  # the themes are this worker's copies now
    with app.app_context():
        rating = db.session.get(Rating, first)
        answer = rating.answers[0]
        old = db.session.get(Theme, answer.theme_id)
        new = Theme(sector_id=old.sector_id, key=old.key, version=old.version + 1,
                    is_current=True, position=old.position, title_nl="Een nieuwe versie",
                    title_fr=old.title_fr, title_en=old.title_en,
                    question_self_nl=old.question_self_nl, question_self_fr=old.question_self_fr,
                    question_self_en=old.question_self_en,
                    question_other_nl=old.question_other_nl,
                    question_other_fr=old.question_other_fr,
                    question_other_en=old.question_other_en, help_nl=old.help_nl,
                    help_fr=old.help_fr, help_en=old.help_en)
        old.is_current = False
        db.session.add(new)
        db.session.flush()
        answer.theme_id = new.id
        db.session.commit()
    titles = [h.get_text(strip=True) for h in
              get(signed_in, f"/redactie/inbox/{first}").select(".answer h3")]
    assert "Een nieuwe versie" in titles


def test_the_item_page_reads_the_rating_and_its_details_in_two_queries(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Vraag naar Els Peeters, 0470 12 34 56.")
    get(signed_in, f"/redactie/inbox/{rating_id}")  # warm: the first request signs the session
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        soup = get(signed_in, f"/redactie/inbox/{rating_id}")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(soup.select(".answer")) == 8 and soup.select(".history-event")
    assert soup.select_one(".flag-text") is not None
    reading = [s for s in statements if " FROM ratings" in s or " FROM rating_" in s]
    # The rating with its location, then answers, history and flags together.
    assert len(reading) == 3, reading  # the third: the count of waiting ratings (not kept)
    assert not [s for s in statements if s.startswith("SELECT rating_answers")
                or s.startswith("SELECT rating_events")]
