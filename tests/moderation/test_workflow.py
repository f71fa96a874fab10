"""The rating state machine: every (from, to) pair, the history, and the published counters."""
import itertools

import pytest
from sqlalchemy import func, select

from tests.factories import make_editor, make_location, make_rating
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.models import AppendOnlyError, RatingEvent
from wdp.moderation.workflow import ALLOWED, IllegalTransition, Status, transition
from wdp.rating_form.models import Rating

# A path from draft to each status, to put a rating in any state before a move.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submitted"],
    Status.IN_MODERATION: ["submitted", "in_moderation"],
    Status.CHANGES_REQUESTED: ["submitted", "in_moderation", "changes_requested"],
    Status.APPROVED: ["submitted", "in_moderation", "approved"],
    Status.ARCHIVED: ["submitted", "in_moderation", "approved", "archived"],
    Status.PUBLISHED: ["submitted", "in_moderation", "approved", "published"],
    Status.REJECTED: ["submitted", "in_moderation", "rejected"],
    Status.SIGNALLED: ["submitted", "in_moderation", "signalled"],
    Status.NOT_PUBLISHED: ["submitted", "in_moderation", "approved", "not_published"],
    Status.WITHDRAWN: ["submitted", "in_moderation", "approved", "published", "withdrawn"],
    Status.REMOVED: ["submitted", "in_moderation", "approved", "published", "removed"],
    Status.EXPIRED: ["submitted", "expired"],
}


def rating_in(location, status, score=4):
    rating = Rating(location=location, role="self", overall_score=score, experience_text="x")
    db.session.add(rating)
    transition(rating, "draft", actor_type="submitter")
    for step in PATHS[status]:
        transition(rating, step, actor_type="system")
    return rating


def recount(location_id):
    """Counters and ranks computed from scratch, to compare with the maintained ones."""
    rows = db.session.execute(
        select(Rating.overall_score, func.count())
        .where(Rating.location_id == location_id, Rating.status == "published")
        .group_by(Rating.overall_score)).all()
    counts = {s: 0 for s in range(1, 6)}
    counts.update(dict(rows))
    ranks = sorted(db.session.scalars(select(Rating.publication_rank).where(
        Rating.location_id == location_id, Rating.status == "published")))
    return counts, ranks


def assert_counters_match(location):
    db.session.flush()
    db.session.expire_all()
    location = db.session.get(Location, location.id)
    counts, ranks = recount(location.id)
    assert location.score_counts() == counts
    assert ranks == list(range(1, location.published_count + 1)), "ranks must stay dense"
    unpublished_ranks = db.session.scalar(select(func.count()).where(
        Rating.location_id == location.id, Rating.status != "published",
        Rating.publication_rank.is_not(None)))
    assert unpublished_ranks == 0


def test_every_status_has_a_path():
    assert set(PATHS) == set(Status)


@pytest.mark.parametrize("current,to", list(itertools.product(Status, Status)))
def test_every_pair_is_allowed_or_refused(app_ctx, current, to):
    location = make_location()
    editor = make_editor()
    rating = rating_in(location, current)
    events_before = db.session.scalar(select(func.count()).select_from(RatingEvent))
    if to in ALLOWED.get(current, set()):
        transition(rating, to, actor_type="editor", actor_id=editor.id, reasons=("anonymity",),
                   message="Waarom")
        assert rating.status == to
        event = db.session.scalars(select(RatingEvent).order_by(RatingEvent.id.desc())).first()
        assert (event.from_status, event.to_status, event.actor_type, event.actor_id,
                event.reasons, event.message) == (current, to, "editor", editor.id, "anonymity",
                                                  "Waarom")
    else:
        with pytest.raises(IllegalTransition):
            transition(rating, to, actor_type="editor")
        assert rating.status == current
        assert db.session.scalar(select(func.count()).select_from(RatingEvent)) == events_before
    assert_counters_match(location)


def test_final_states_allow_nothing():
    final = {Status.REJECTED, Status.SIGNALLED, Status.NOT_PUBLISHED, Status.WITHDRAWN,
             Status.REMOVED, Status.EXPIRED}
    assert final.isdisjoint(ALLOWED)


def test_a_new_rating_can_only_start_as_draft(app_ctx):
    location = make_location()
    rating = Rating(location=location, role="self", overall_score=3)
    db.session.add(rating)
    with pytest.raises(IllegalTransition):
        transition(rating, "published", actor_type="system")


def test_counters_follow_every_kind_of_change(app_ctx):
    """Publish, withdraw, remove and re-publish from archive, checking after each step."""
    location = make_location()
    other = make_location()
    ratings = [rating_in(location, Status.APPROVED, score=s) for s in (5, 4, 1, 3, 5, 2)]
    make_rating(other, score=1)
    for rating in ratings:
        transition(rating, "published", actor_type="submitter")
        assert_counters_match(location)
    transition(ratings[2], "withdrawn", actor_type="submitter")
    assert_counters_match(location)
    transition(ratings[0], "removed", actor_type="editor", reasons=("privacy",))
    assert_counters_match(location)
    archived = rating_in(location, Status.ARCHIVED, score=4)
    transition(archived, "published", actor_type="submitter")
    assert_counters_match(location)
    transition(ratings[-1], "withdrawn", actor_type="submitter")
    assert_counters_match(location)
    assert_counters_match(other)
    location = db.session.get(Location, location.id)
    assert location.score_counts() == {1: 0, 2: 0, 3: 1, 4: 2, 5: 1}
    assert location.published_count == 4
    assert location.good_share == 0.75
    assert location.average_score == (3 + 4 + 4 + 5) / 4


def test_newest_publication_has_the_highest_rank(app_ctx):
    location = make_location()
    first = make_rating(location, score=2)
    second = make_rating(location, score=5)
    assert (first.publication_rank, second.publication_rank) == (1, 2)
    transition(first, "withdrawn", actor_type="submitter")
    db.session.flush()
    db.session.refresh(second)
    assert second.publication_rank == 1


def test_events_are_never_changed_or_deleted(app_ctx):
    location = make_location()
    make_rating(location)
    db.session.commit()
    event = db.session.scalars(select(RatingEvent)).first()
    event.message = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalars(select(RatingEvent)).first()
    db.session.delete(event)
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_two_concurrent_moves_record_exactly_one(app):
    """Two sessions load the same approved rating; only the first move wins."""
    from sqlalchemy.orm import Session

    from wdp.moderation.workflow import ConcurrentTransition
    with app.app_context():
        location = make_location()
        first_editor, second_editor = make_editor(), make_editor()
        rating = rating_in(location, Status.IN_MODERATION)
        db.session.commit()
        rating_id = rating.id
        ids = first_editor.id, second_editor.id
        first = db.session
        with Session(db.engine) as other:
            theirs = other.get(Rating, rating_id)
            mine = first.get(Rating, rating_id)
            other.execute(
                Rating.__table__.update().where(Rating.id == rating_id,
                                                Rating.status == "in_moderation")
                .values(status="rejected"))
            other.add(RatingEvent(rating_id=theirs.id, from_status="in_moderation",
                                  to_status="rejected", actor_type="editor", actor_id=ids[1]))
            other.commit()
            with pytest.raises(ConcurrentTransition):
                transition(mine, "approved", actor_type="editor", actor_id=ids[0])
            first.rollback()
        events = db.session.scalars(select(RatingEvent.to_status).where(
            RatingEvent.rating_id == rating_id).order_by(RatingEvent.id)).all()
        assert events[-1] == "rejected" and "approved" not in events
        assert db.session.get(Rating, rating_id).status == "rejected"
        db.session.remove()
