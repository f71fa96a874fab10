"""run-jobs: what is due gets done once, also when two runners start at the same moment."""
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tests.factories import make_location
from wdp.extensions import db
from wdp.moderation.models import RatingEvent
from wdp.rating_form.models import Rating


def submitted_ratings(app, count):
    from wdp.moderation.workflow import transition
    from wdp.rating_form.operations import send_confirmation
    with app.app_context():
        location = make_location()
        for i in range(count):
            rating = Rating(location=location, role="self", overall_score=4,
                            experience_text="Tekst", email=f"p{i}@voorbeeld.test",
                            reference=f"W-T{i:04d}")
            db.session.add(rating)
            transition(rating, "draft", actor_type="submitter")
            transition(rating, "submitted", actor_type="submitter")
            db.session.flush()
            send_confirmation(rating)
        db.session.commit()


def test_two_runners_at_once_expire_each_rating_once(app):
    submitted_ratings(app, 12)
    app.config["WDP_NOW"] = (datetime.now() + timedelta(days=8)).isoformat()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def runner():
        try:
            with app.app_context():
                from wdp.jobs import run_jobs
                barrier.wait()
                results.append(run_jobs()["expired unconfirmed ratings"])
                db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(results) == 12
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatingEvent).where(
            RatingEvent.to_status == "expired")) == 12
        assert set(db.session.scalars(select(Rating.status))) == {"expired"}
        db.session.remove()


def test_run_jobs_command_says_what_it_did(app):
    submitted_ratings(app, 1)
    app.config["WDP_NOW"] = (datetime.now() + timedelta(days=8)).isoformat()
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0
    assert "expired unconfirmed ratings: 1" in result.output
    assert "erased sign-up contact details: 0" in result.output
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert "expired unconfirmed ratings: 0" in result.output
