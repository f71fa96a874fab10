"""What the item page does for speed: the kept count of waiting ratings, one query per kind."""
import pytest
from sqlalchemy import event

from tests.editors.helpers import get
from tests.moderation.test_inbox import add_waiting
from tests.moderation.test_inbox_decisions import decide
from wdp.extensions import db
from wdp.moderation import queries


def waiting_text(client, rating_id):
    return get(client, f"/redactie/inbox/{rating_id}").select_one(".queue-left").get_text(
        strip=True)


@pytest.fixture
def kept_counts(app, monkeypatch):
    """The production behaviour: each worker keeps the count for 10 seconds (of a clock
    the test moves)."""
    moment = [1000.0]
    monkeypatch.setattr(queries.time, "monotonic", lambda: moment[0])
    app.config["WDP_WAITING_COUNT_SECONDS"] = 10
    app.extensions.pop("wdp_waiting_counts", None)
    yield moment
    app.config["WDP_WAITING_COUNT_SECONDS"] = 0
    app.extensions.pop("wdp_waiting_counts", None)


def test_the_waiting_count_is_kept_a_few_seconds_and_own_decisions_count_at_once(
        app, signed_in, clock, kept_counts):
    first = add_waiting(app, clock, minutes_ago=300)
    second = add_waiting(app, clock, minutes_ago=200)
    assert waiting_text(signed_in, first) == "Nog 2 waarderingen wachten in Ouderenzorg."
    third = add_waiting(app, clock, minutes_ago=100)
    # Another worker's rating: this worker still shows what it counted 0 seconds ago.
    assert waiting_text(signed_in, second) == "Nog 2 waarderingen wachten in Ouderenzorg."
    kept_counts[0] += 11
    assert waiting_text(signed_in, second) == "Nog 3 waarderingen wachten in Ouderenzorg."
    # Its own decision comes off at once, without counting again.
    response = decide(signed_in, first, {"decision": "approved"})
    assert response.headers["Location"] == f"/redactie/inbox/{second}"
    assert waiting_text(signed_in, third) == "Nog 2 waarderingen wachten in Ouderenzorg."


def test_without_keeping_every_item_page_counts(app, signed_in, clock):
    first = add_waiting(app, clock, minutes_ago=300)
    assert waiting_text(signed_in, first) == "Nog 1 waardering wacht in Ouderenzorg."
    add_waiting(app, clock, minutes_ago=100)
    assert waiting_text(signed_in, first) == "Nog 2 waarderingen wachten in Ouderenzorg."


def test_the_item_page_reads_each_kind_of_row_once(app, signed_in, clock):
    """Answers with their themes, the location with its sector, kind and organisation, the
    reasons and the message templates: no query per row, nothing read twice."""
    rating_id = add_waiting(app, clock, text="Vraag naar Els Peeters, 0470 12 34 56.")
    add_waiting(app, clock, minutes_ago=30)
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
    assert len(soup.select(".answer")) == 8
    assert soup.select_one(".flag-burst") is None  # two ratings: no burst
    from_tables = [s.split(" FROM ", 1)[1].split()[0] for s in statements if
                   s.startswith("SELECT") and " FROM " in s]
    for table in ("themes", "location_kinds", "organisations", "sectors", "reasons",
                  "message_templates", "rating_answers"):
        assert from_tables.count(table) <= 1, (table, statements)
