"""The response state machine: every (from, to) pair, events with the text, two actors at once."""
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import make_editor, make_location, make_rating
from wdp.extensions import db
from wdp.moderation.models import AppendOnlyError
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition
from wdp.organisations import access, responses
from wdp.organisations.models import Response, ResponseEvent
from wdp.organisations.responses import ALLOWED, ResponseStatus
from wdp.rating_form.models import Rating

STATUSES = [None, *ResponseStatus]
PATHS = {
    ResponseStatus.IN_MODERATION: (),
    ResponseStatus.APPROVED: (ResponseStatus.APPROVED,),
    ResponseStatus.REJECTED: (ResponseStatus.REJECTED,),
    ResponseStatus.CHANGES_REQUESTED: (ResponseStatus.CHANGES_REQUESTED,),
    ResponseStatus.REMOVED: (ResponseStatus.APPROVED, ResponseStatus.REMOVED),
}
EXPECTED = {
    (None, ResponseStatus.IN_MODERATION),
    (ResponseStatus.IN_MODERATION, ResponseStatus.APPROVED),
    (ResponseStatus.IN_MODERATION, ResponseStatus.REJECTED),
    (ResponseStatus.IN_MODERATION, ResponseStatus.CHANGES_REQUESTED),
    (ResponseStatus.REJECTED, ResponseStatus.IN_MODERATION),
    (ResponseStatus.CHANGES_REQUESTED, ResponseStatus.IN_MODERATION),
    (ResponseStatus.APPROVED, ResponseStatus.REMOVED),
}


def response_in(status):
    """A response (in the session) brought to `status` through the machine; None = new."""
    rating = make_rating(make_location(email="info@huis.test"))
    if status is None:
        # Not linked through the relationship: a refused new response stays out of the session.
        return Response(rating_id=rating.id, text="Eerste tekst.")
    response = Response(rating=rating, text="Eerste tekst.")
    responses.transition(response, ResponseStatus.IN_MODERATION, actor_type="organisation")
    db.session.flush()
    for step in PATHS[status]:
        responses.transition(response, step, actor_type="editor")
    db.session.flush()
    return response


def test_the_table_is_exactly_the_moves_of_product_md():
    allowed = {(current, to) for current, targets in ALLOWED.items() for to in targets}
    assert allowed == EXPECTED


@pytest.mark.parametrize("current", STATUSES, ids=lambda s: str(s))
@pytest.mark.parametrize("to", list(ResponseStatus), ids=str)
def test_every_pair_of_statuses(app_ctx, current, to):
    response = response_in(current)
    before = db.session.scalar(select(func.count()).select_from(ResponseEvent))
    if (current, to) in EXPECTED:
        responses.transition(response, to, actor_type="system", message="Waarom.",
                             text="Nieuwe tekst." if to is ResponseStatus.IN_MODERATION else None)
        db.session.flush()
        assert response.status == to.value
        db.session.expire_all()
        assert db.session.get(Response, response.id).status == to.value
        event = db.session.scalars(select(ResponseEvent).order_by(ResponseEvent.id.desc())
                                   .limit(1)).one()
        assert (event.from_status, event.to_status, event.message) == (
            current.value if current else None, to.value, "Waarom.")
        assert event.text == db.session.get(Response, response.id).text
    else:
        with pytest.raises(IllegalTransition):
            responses.transition(response, to, actor_type="system")
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(ResponseEvent)) == before
        if current is not None:
            db.session.expire_all()
            assert db.session.get(Response, response.id).status == current.value


def test_each_move_sets_its_times_and_frees_the_reservation(app_ctx, clock):
    editor = make_editor()
    response = response_in(ResponseStatus.IN_MODERATION)
    assert response.submitted_at == clock.now and response.status_changed_at == clock.now
    response.reserved_by_id, response.reserved_until = editor.id, clock.now
    db.session.flush()
    clock.advance(minutes=5)
    responses.transition(response, "approved", actor_type="editor", actor_id=editor.id)
    db.session.flush()
    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.decided_at == response.approved_at == response.status_changed_at == clock.now
    assert (response.reserved_by_id, response.reserved_until) == (None, None)


def test_a_rewrite_keeps_every_earlier_text_in_the_history(app_ctx):
    response = response_in(ResponseStatus.REJECTED)
    responses.transition(response, "in_moderation", actor_type="organisation",
                         text="Tweede tekst.")
    db.session.flush()
    events = db.session.scalars(select(ResponseEvent).where(
        ResponseEvent.response_id == response.id).order_by(ResponseEvent.id)).all()
    assert [e.text for e in events] == ["Eerste tekst.", "Eerste tekst.", "Tweede tekst."]
    assert response.text == "Tweede tekst."


def test_events_can_never_be_changed_or_deleted(app_ctx):
    response_in(ResponseStatus.IN_MODERATION)
    db.session.commit()
    event = db.session.scalars(select(ResponseEvent)).first()
    event.message = "Anders."
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(ResponseEvent)).first())
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_an_editors_decision_needs_a_decision(app_ctx):
    response = response_in(ResponseStatus.IN_MODERATION)
    with pytest.raises(IllegalTransition):
        responses.decide(response, "removed", make_editor())


def _waiting_response(app):
    with app.app_context():
        response = response_in(ResponseStatus.IN_MODERATION)
        db.session.commit()
        return response.id


def test_two_editors_deciding_at_once_record_exactly_one_decision(app, clock):
    """Two threads, each with its own database session, decide the same response together."""
    response_id = _waiting_response(app)
    with app.app_context():
        anna, bert = make_editor(name="Anna"), make_editor(name="Bert")
        db.session.commit()
        editors = {"approved": anna.id, "rejected": bert.id}
    barrier = threading.Barrier(2)
    outcomes = []

    def work(decision):
        with app.app_context():
            from wdp.editors.models import Editor
            response = db.session.get(Response, response_id)
            assert response.status == "in_moderation"
            editor = db.session.get(Editor, editors[decision])
            barrier.wait()
            try:
                responses.decide(response, decision, editor, reasons=("swearing",),
                                 message="Nee.")
                db.session.commit()
                outcomes.append(decision)
            except ConcurrentTransition:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(d,)) for d in ("approved", "rejected")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) in (["approved", "refused"], ["refused", "rejected"])
    with app.app_context():
        response = db.session.get(Response, response_id)
        events = db.session.scalars(select(ResponseEvent).where(
            ResponseEvent.response_id == response_id)).all()
        decided = [e for e in events if e.from_status == "in_moderation"]
        assert len(decided) == 1 and decided[0].to_status == response.status
        assert len(events) == 2
        from wdp.mail.models import OutboxMessage
        templates = db.session.scalars(select(OutboxMessage.template)).all()
        assert templates.count(f"response_{response.status}") == 1


def test_two_new_responses_to_the_same_rating_at_once_keep_one(app, clock):
    """Two people with the same link send at the same moment: the unique rating keeps one."""
    with app.app_context():
        rating = make_rating(make_location(email="info@huis.test"))
        contact = access.contact_for("info@huis.test")
        db.session.commit()
        rating_id, contact_id = rating.id, contact.id
    barrier = threading.Barrier(2)
    outcomes = []

    def work(text):
        with app.app_context():
            from wdp.organisations.models import OrganisationContact
            rating = db.session.get(Rating, rating_id)
            assert rating.response is None
            contact = db.session.get(OrganisationContact, contact_id)
            barrier.wait()
            try:
                responses.submit(rating, contact, text)
                db.session.commit()
                outcomes.append(text)
            except (IntegrityError, ConcurrentTransition):
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(t,)) for t in ("Tekst A.", "Tekst B.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) in (["Tekst A.", "refused"], ["Tekst B.", "refused"])
    with app.app_context():
        rows = db.session.scalars(select(Response).where(Response.rating_id == rating_id)).all()
        assert len(rows) == 1 and rows[0].text in outcomes
        assert db.session.scalar(select(func.count()).select_from(ResponseEvent)) == 1
