"""run-jobs from two processes at once (PostgreSQL): each reminder goes out exactly once."""
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import TEST_DB_URL
from tests.publication.helpers import START, set_policy
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.publication.models import Reminder

ROOT = Path(__file__).resolve().parents[2]
COUNT = 3000


def approved_many(app, count):
    """Ratings approved under opt_in at START (bulk: the approval itself is tested elsewhere)."""
    from tests.factories import make_location
    from wdp.rating_form.models import Rating
    set_policy(app, "opt_in")
    with app.app_context():
        location_id = make_location().id
        db.session.execute(Rating.__table__.insert(), [
            {"location_id": location_id, "status": "approved", "role": "self", "language": "nl",
             "overall_score": 4, "experience_text": "Tekst", "email": f"p{i}@voorbeeld.test",
             "reference": f"W-C{i:05d}", "created_at": START, "status_changed_at": START,
             "publication_policy": "opt_in"} for i in range(count)])
        db.session.commit()


@pytest.mark.skipif(not TEST_DB_URL.startswith("postgresql"), reason="needs PostgreSQL")
def test_two_run_jobs_processes_send_each_reminder_once(app, database_url):
    approved_many(app, COUNT)
    moment = (START + timedelta(days=3, minutes=1)).isoformat()
    # WDP_NOW is honoured in the test configuration only: the app is made with TESTING on.
    env = {**os.environ, "WDP_DATABASE_URL": database_url, "WDP_SECRET_KEY": "test-secret",
           "WDP_NOW": moment, "WDP_BASE_URL": "http://wdp.test"}
    app_factory = "wdp:create_app({'TESTING': True, 'WDP_JOB_BATCH': 20})"
    command = [sys.executable, "-m", "flask", "--app", app_factory, "run-jobs"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=False):
        assert process.returncode == 0, err
    sent = [int(line.split(":")[1]) for out, _err in outputs for line in out.splitlines()
            if line.startswith("first reminders:")]
    assert len(sent) == 2 and sum(sent) == COUNT, outputs
    # Both did part of the work: they really ran at the same time.
    assert min(sent) > 0, sent
    with app.app_context():
        per_rating = Counter(db.session.scalars(select(Reminder.rating_id)))
        assert len(per_rating) == COUNT and set(per_rating.values()) == {1}
        reminder_mails = db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.template == "rating_reminder")).all()
        assert len(reminder_mails) == COUNT and len(set(reminder_mails)) == COUNT
        db.session.remove()
