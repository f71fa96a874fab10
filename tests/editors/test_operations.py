"""The editor operations on their own: the shared failure counter, codes, sessions."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from tests.editors.helpers import make_editor
from wdp.editors import operations as ops
from wdp.editors.models import Editor, SignInCounter
from wdp.extensions import db


def test_failures_from_many_workers_at_once_are_all_counted(app, clock):
    """Each thread has its own database session and connection, as a worker process would."""
    errors = []

    def fail_three_times():
        try:
            with app.app_context():
                for _ in range(3):
                    ops.record_failure("doelwit@redactie.test")
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=fail_three_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        counter = db.session.scalars(select(SignInCounter)).one()
        assert counter.failures == 12
        assert counter.locked_until == clock.now + ops.LOCK_TIME
        assert ops.minutes_locked("DOELWIT@redactie.test") == 15


def test_old_counters_are_purged(app, clock):
    with app.app_context():
        ops.record_failure("oud@redactie.test")
        for _ in range(5):
            ops.record_failure("geblokkeerd@redactie.test")
        db.session.commit()
        clock.advance(minutes=14)
        ops.record_failure("nieuw@redactie.test")
        assert ops.purge_sign_in_counters() == 0
        clock.advance(minutes=1)
        assert ops.purge_sign_in_counters() == 2
        db.session.commit()
        assert db.session.scalars(select(SignInCounter)).one().address_hash == (
            ops.address_hash("nieuw@redactie.test"))


def test_totp_steps_follow_the_wdp_clock(app, clock):
    with app.app_context():
        assert ops.current_step() == int((clock.now - clock.now.replace(
            year=1970, month=1, day=1, hour=0, minute=0, second=0)).total_seconds()) // 30


def test_a_code_is_claimed_in_the_database(app, clock):
    """Two objects for the same editor (two requests): the second one is refused."""
    editor_id, secret = make_editor(app)
    code = clock.code(secret)
    with app.app_context():
        first = db.session.get(Editor, editor_id)
        assert ops.verify_totp(first, code) == ops.TOTP_OK
        db.session.commit()
        db.session.expunge_all()
        stale = db.session.get(Editor, editor_id)
        # As if loaded before the first request committed (without marking it changed):
        set_committed_value(stale, "totp_last_step", None)
        assert ops.verify_totp(stale, code) == ops.TOTP_USED


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_are_wrong(app, clock, code):
    editor_id, _ = make_editor(app)
    with app.app_context():
        assert ops.verify_totp(db.session.get(Editor, editor_id), code) == ops.TOTP_WRONG
        assert not ops.use_recovery_code(db.session.get(Editor, editor_id), code)


def test_codes_with_spaces_are_accepted(app, clock):
    editor_id, secret = make_editor(app)
    code = clock.code(secret)
    with app.app_context():
        assert ops.verify_totp(db.session.get(Editor, editor_id),
                               f" {code[:3]} {code[3:]} ") == ops.TOTP_OK


def test_new_recovery_codes_replace_the_old(app):
    editor_id, _ = make_editor(app)
    with app.app_context():
        editor = db.session.get(Editor, editor_id)
        old = ops.new_recovery_codes(editor)
        new = ops.new_recovery_codes(editor)
        db.session.commit()
        assert not ops.use_recovery_code(editor, old[0])
        assert ops.use_recovery_code(editor, new[0])
        assert ops.remaining_recovery_codes(editor) == 9


def test_the_session_end_reasons(app, clock):
    editor_id, _ = make_editor(app)
    with app.app_context():
        editor = db.session.get(Editor, editor_id)
        raw = ops.start_session(editor, "test")
        db.session.commit()
        editor_session = ops.find_session(raw)
        assert ops.session_end_reason(editor_session) is None
        editor_session.last_seen_at = clock.now - timedelta(minutes=30)
        assert ops.session_end_reason(editor_session) == "idle"
        editor_session.created_at = clock.now - ops.MAX_SESSION_AGE
        assert ops.session_end_reason(editor_session) == "age"
        editor.disabled_at = clock.now
        assert ops.session_end_reason(editor_session) == "disabled"
        ops.end_session(editor_session, "test")
        db.session.commit()
        assert ops.find_session(raw) is None


def test_addresses_are_one_account_whatever_their_case(app):
    make_editor(app, email=" Anna@Redactie.TEST ")
    with app.app_context():
        assert db.session.scalars(select(Editor.email)).one() == "anna@redactie.test"
        assert ops.find_editor("ANNA@redactie.test") is not None
