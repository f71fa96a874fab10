"""Reminders on day 3 and 10, archiving on day 21, retention: with the real mail links, never twice."""

import pytest
from sqlalchemy import func, select

from tests.publication.helpers import (
    START,
    approved_rating,
    decide,
    events_to,
    link_starting,
    links_in,
    page,
    press,
    rating_state,
    set_policy,
    waiting_rating,
)
from tests.publication.test_policies import deliver, run_jobs
from wdp.extensions import db
from wdp.publication.models import Reminder


@pytest.fixture
def clock(app):
    from tests.editors.helpers import Clock
    return Clock(app, START)


def reminders(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Reminder))


def test_two_reminders_with_the_direct_link_then_archived_then_published(
        app, client, clock, smtp):
    rating_id = approved_rating(app, "opt_in")
    deliver(app, smtp)
    clock.advance(days=2, hours=23)
    assert run_jobs(app)["first reminders"] == 0
    clock.advance(hours=2)
    done = run_jobs(app)
    assert done["first reminders"] == 1 and done["second reminders"] == 0
    assert run_jobs(app)["first reminders"] == 0  # never twice
    [(subject, first)] = deliver(app, smtp)
    assert "Herinnering" in subject and "23 maart 2026" in first
    link_starting(first, "/publiceren/")
    link_starting(first, "/niet-publiceren/")
    link_starting(first, "/mijn-waardering/")
    clock.advance(days=7)
    done = run_jobs(app)
    assert done["second reminders"] == 1 and done["first reminders"] == 0
    assert run_jobs(app)["second reminders"] == 0
    [(subject, second)] = deliver(app, smtp)
    assert "Herinnering" in subject
    assert link_starting(second, "/publiceren/") != link_starting(first, "/publiceren/")
    assert reminders(app) == 2
    clock.advance(days=11)
    assert run_jobs(app)["archived ratings"] == 1
    assert run_jobs(app)["archived ratings"] == 0
    assert rating_state(app, rating_id).status == "archived"
    [(subject, last)] = deliver(app, smtp)
    assert "archief" in subject and "tot 23 maart 2027" in last
    # Still publishable from the archive, with the last mail's link.
    press(client, link_starting(last, "/publiceren/"))
    assert rating_state(app, rating_id).status == "published"
    # An older reminder's link now just says it is done.
    _response, soup = page(client, link_starting(first, "/publiceren/"))
    assert "al gebeurd" in soup.h1.get_text()


def test_a_late_runner_sends_only_the_second_reminder(app, clock, smtp):
    approved_rating(app, "opt_in")
    clock.advance(days=12)
    done = run_jobs(app)
    assert done["second reminders"] == 1 and done["first reminders"] == 0


def test_changes_requested_gets_reminders_with_a_fresh_revise_link_then_archived(
        app, client, clock, smtp):
    set_policy(app, "opt_in")
    rating_id = waiting_rating(app)
    decide(app, rating_id, "changes_requested", message="Haal de naam weg.")
    [(_subject, asked)] = deliver(app, smtp)
    clock.advance(days=3, minutes=1)
    assert run_jobs(app)["first reminders"] == 1
    [(_subject, first)] = deliver(app, smtp)
    revise = link_starting(first, "/aanpassen/")
    # The mail of the editors' question no longer works: the reminder's link replaced it.
    page(client, link_starting(asked, "/aanpassen/"), status=410)
    page(client, revise)
    status = link_starting(first, "/mijn-waardering/")
    _response, soup = page(client, status)
    assert "Haal de naam weg." in soup.get_text()
    clock.advance(days=7)
    assert run_jobs(app)["second reminders"] == 1
    [(_subject, second)] = deliver(app, smtp)
    link_starting(second, "/aanpassen/")
    clock.advance(days=11)
    assert run_jobs(app)["archived ratings"] == 1
    [(subject, last)] = deliver(app, smtp)
    assert "archief" in subject and "kan je waardering niet online" in last
    assert not [path for path in links_in(last) if path.startswith("/publiceren/")]
    rating = rating_state(app, rating_id)
    assert rating.status == "archived"
    # It cannot be published as it is: the status page says so kindly, and offers no button.
    _response, soup = page(client, status)
    assert "Zoals ze nu is, kan je waardering niet online." in soup.get_text()
    assert not soup.select("main form")


def test_a_second_cycle_gets_its_own_reminders(app, client, clock, smtp):
    set_policy(app, "opt_in")
    rating_id = waiting_rating(app)
    decide(app, rating_id, "changes_requested", message="Haal de naam weg.")
    clock.advance(days=3, minutes=1)
    assert run_jobs(app)["first reminders"] == 1
    with app.app_context():
        from wdp.moderation.workflow import transition
        from wdp.rating_form.models import Rating
        transition(db.session.get(Rating, rating_id), "in_moderation", actor_type="submitter")
        db.session.commit()
    decide(app, rating_id)
    clock.advance(days=3, minutes=1)
    assert run_jobs(app)["first reminders"] == 1
    assert reminders(app) == 2


def test_retention_erases_archived_and_rejected_and_then_publish_is_refused(
        app, client, clock, smtp):
    archived = approved_rating(app, "opt_in")
    rejected = waiting_rating(app, email="ander@voorbeeld.test")
    decide(app, rejected, "rejected", reasons=("swearing",), message="Scheldwoorden.")
    [(_subject, approval)] = deliver(app, smtp)
    clock.advance(days=22)
    assert run_jobs(app)["archived ratings"] == 1
    clock.advance(days=364)
    assert run_jobs(app)["erased after retention"] == 1  # the rejected one
    assert rating_state(app, archived).personal_data_erased_at is None
    # Archived on day 22: its retention ends on day 387.
    clock.advance(days=2)
    done = run_jobs(app)
    assert done["erased after retention"] == 1
    assert run_jobs(app)["erased after retention"] == 0
    for rating_id in (archived, rejected):
        rating = rating_state(app, rating_id)
        assert rating.email is None and rating.experience_text == ""
        assert rating.personal_data_erased_at is not None
    with app.app_context():
        from wdp.rating_form.models import RatingAnswer
        assert set(db.session.scalars(select(RatingAnswer.text))) == {""}
        assert set(db.session.scalars(select(RatingAnswer.score))) == {5}
    response, soup = page(client, link_starting(approval, "/publiceren/"), status=409)
    assert "kan niet meer online" in soup.h1.get_text()
    assert rating_state(app, archived).status == "archived"
    assert events_to(app, archived, "published") == 0
