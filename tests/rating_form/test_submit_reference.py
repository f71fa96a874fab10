"""Submit lets the unique index check the drawn reference: a taken one is drawn again."""
import pytest
from sqlalchemy import event, func, select

from tests.factories import make_location
from tests.rating_form.helpers import fill_all, start, submit
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.moderation.models import RatingEvent
from wdp.rating_form import operations as ops
from wdp.rating_form.models import Draft, Rating, RatingAnswer


@pytest.fixture
def location(app):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        db.session.commit()
        db.session.refresh(location)
        db.session.expunge(location)
        return location


def test_a_taken_reference_is_drawn_again(client, app, location, monkeypatch):
    start(client, location)
    fill_all(client)
    submit(client)
    with app.app_context():
        taken = db.session.scalars(select(Rating.reference)).one()
    drawn = iter([taken, taken, "W-NIEUW7"])
    monkeypatch.setattr(ops, "new_unchecked_reference", lambda: next(drawn))
    other = app.test_client()
    start(other, location)
    fill_all(other, email="ander@voorbeeld.test")
    response = submit(other)
    assert response.status_code == 302
    assert response.headers["Location"] == "/waardering/verstuurd"
    with app.app_context():
        assert sorted(db.session.scalars(select(Rating.reference))) == sorted(
            [taken, "W-NIEUW7"])
        rating = db.session.scalars(select(Rating).where(Rating.reference == "W-NIEUW7")).one()
        assert rating.status == "submitted" and rating.email == "ander@voorbeeld.test"
        # The failed attempts left nothing behind: one rating's rows, once.
        assert db.session.scalar(select(func.count()).select_from(RatingAnswer).where(
            RatingAnswer.rating_id == rating.id)) == 8
        assert db.session.scalar(select(func.count()).select_from(RatingAnswer)) == 16
        assert [event.to_status for event in db.session.scalars(
            select(RatingEvent).where(RatingEvent.rating_id == rating.id)
            .order_by(RatingEvent.id))] == ["draft", "submitted"]
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == "ander@voorbeeld.test")) == 1
        draft = db.session.scalars(select(Draft).where(Draft.rating_id == rating.id)).one()
        assert draft.answers == {} and draft.email is None
    assert "W-NIEUW7" in other.get("/waardering/verstuurd").get_data(as_text=True)


def test_a_reference_taken_every_time_is_an_error_not_a_loop(client, app, location,
                                                             monkeypatch):
    start(client, location)
    fill_all(client)
    submit(client)
    with app.app_context():
        taken = db.session.scalars(select(Rating.reference)).one()
    monkeypatch.setattr(ops, "new_unchecked_reference", lambda: taken)
    other = app.test_client()
    start(other, location)
    fill_all(other, email="ander@voorbeeld.test")
    with app.app_context():
        draft = db.session.scalars(select(Draft).where(Draft.rating_id.is_(None))).one()
        with pytest.raises(Exception, match="reference"):
            ops.submit_draft(draft, "nl")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Rating)) == 1


def test_submit_looks_no_reference_up_and_writes_the_draft_once(client, app, location):
    start(client, location)
    fill_all(client)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = submit(client)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.headers["Location"] == "/waardering/verstuurd"
    # The check page and the submit: no lookup of the reference, one UPDATE of the draft
    # (claim and emptying at once), the answers in one INSERT.
    assert not [s for s in statements if "FROM ratings WHERE ratings.reference" in s]
    assert len([s for s in statements if s.startswith("UPDATE rating_drafts")]) == 1
    assert len([s for s in statements if s.startswith("INSERT INTO rating_answers")]) == 1
