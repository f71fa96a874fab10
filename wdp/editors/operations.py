"""Every change to editor accounts: passwords, second factor, sessions, lockouts and links."""
import functools
import hashlib
import hmac
import logging
import math
import re
import secrets
from datetime import UTC, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import and_, bindparam, case, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wdp.clock import now
from wdp.editors.models import ADMIN, Editor, EditorSession, RecoveryCode, SignInCounter
from wdp.extensions import db
from wdp.mail.outbox import link_to, queue_mail
from wdp.tokens import LinkToken, find_token, issue_token, revoke_tokens, token_hash

log = logging.getLogger("wdp.editors")

PASSWORD_RESET = "password_reset"
RESET_LINK_LIFETIME = timedelta(hours=1)
#: the first password of a new account: the link may wait a working day
NEW_ACCOUNT_LINK_LIFETIME = timedelta(hours=24)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200

#: after this many failures for one address within FAILURE_WINDOW, it is locked for LOCK_TIME
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)

#: how long a password sign-in waits for its second factor
SECOND_FACTOR_TIME = timedelta(minutes=10)
#: a session ends this long after sign-in, however active
MAX_SESSION_AGE = timedelta(hours=12)
#: last_seen_at is written at most this often (a write per request would be waste)
SEEN_RESOLUTION = timedelta(seconds=60)

RECOVERY_CODE_COUNT = 10
#: no 0/o, 1/l/i: the codes are copied by hand
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10

TOTP_OK, TOTP_USED, TOTP_WRONG = "ok", "used", "wrong"

# The defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
_dummy_hash = None


def address_hash(email):
    """A keyed hash of an address: the same for every process, useless without the key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def log_address(email):
    """What a log line may say about an address: a short keyed hash."""
    return address_hash(email)[:12]


def hash_password(password):
    return _hasher.hash(password)


def _verify(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_editor(email):
    return db.session.scalar(select(Editor).where(Editor.email == email.strip().lower()))


def create_editor(name, email, role):
    """Add an editor without a password; they choose one through a link."""
    editor = Editor(name=name.strip(), email=email, role=role)
    db.session.add(editor)
    db.session.flush()
    log.info("editor %s created with role %s", editor.id, role)
    return editor


# -- passwords ------------------------------------------------------------------------------

def check_password(email, password):
    """The active editor with this address and password, or None.

    Unknown addresses cost the same hashing time, so timing tells nothing about accounts.
    """
    global _dummy_hash
    editor = find_editor(email)
    if editor is None or editor.password_hash is None:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash(secrets.token_hex(16))
        _verify(_dummy_hash, password)
        return None
    if not _verify(editor.password_hash, password) or not editor.is_active:
        return None
    if _hasher.check_needs_rehash(editor.password_hash):
        editor.password_hash = _hasher.hash(password)
    return editor


def set_password(editor, password, keep_session=None):
    """Store a new password; every session of the editor ends except keep_session."""
    editor.password_hash = hash_password(password)
    end_all_sessions(editor, keep=keep_session)
    revoke_tokens(PASSWORD_RESET, editor.id)
    log.info("editor %s set a new password", editor.id)


def issue_password_link(editor, lifetime=RESET_LINK_LIFETIME):
    """A single-use link to choose a password; older links of the editor stop working."""
    revoke_tokens(PASSWORD_RESET, editor.id)
    raw = issue_token(PASSWORD_RESET, editor.id, lifetime)
    return link_to("editors.new_password", token=raw)


def request_password_reset(email, language):
    """Mail a reset link if an active editor has the address; the caller answers the same."""
    editor = find_editor(email)
    if editor is None or not editor.is_active:
        log.info("password reset asked for unknown or disabled address %s", log_address(email))
        return
    link = issue_password_link(editor)
    queue_mail(editor.email, "editor_password_reset", language, name=editor.name, link=link,
               minutes=int(RESET_LINK_LIFETIME.total_seconds() // 60))
    log.info("password reset link queued for editor %s", editor.id)


def password_link_editor(raw):
    """The active editor a valid password link belongs to, or None."""
    token = find_token(raw, PASSWORD_RESET)
    if token is None or token.state != "valid":
        return None
    editor = db.session.get(Editor, token.subject_id)
    return editor if editor is not None and editor.is_active else None


def set_password_with_link(raw, password):
    """Use a password link once: the editor, or None when it was used, expired or unknown."""
    editor = password_link_editor(raw)
    if editor is None:
        return None
    # Claim the token in the database: of two posts at once, one sets the password.
    claimed = db.session.execute(
        LinkToken.__table__.update()
        .where(LinkToken.token_hash == token_hash(raw), LinkToken.purpose == PASSWORD_RESET,
               LinkToken.used_at.is_(None), LinkToken.revoked_at.is_(None),
               LinkToken.expires_at > now())
        .values(used_at=now())).rowcount
    if claimed != 1:
        return None
    set_password(editor, password)
    return editor


# -- failed attempts per address --------------------------------------------------------------

def minutes_locked(email):
    """Whole minutes until the address may try again, or 0 when it is not locked."""
    locked_until = db.session.scalar(select(SignInCounter.locked_until).where(
        SignInCounter.address_hash == address_hash(email)))
    if locked_until is None or locked_until <= now():
        return 0
    return max(1, math.ceil((locked_until - now()).total_seconds() / 60))


def record_failure(email):
    """Count a wrong password or code for the address; the fifth in the window locks it.
    Returns the minutes the address is now locked for (0 when it is not).

    One UPDATE computes the new count from the row's old values, so failures from several
    workers at once are all counted.
    """
    key, moment = address_hash(email), now()
    window_over = SignInCounter.window_started_at <= moment - FAILURE_WINDOW
    statement = (
        update(SignInCounter).where(SignInCounter.address_hash == key)
        .values(
            failures=case((window_over, 1), else_=SignInCounter.failures + 1),
            window_started_at=case((window_over, moment),
                                   else_=SignInCounter.window_started_at),
            locked_until=case(
                (and_(~window_over, SignInCounter.failures + 1 >= MAX_FAILURES),
                 moment + LOCK_TIME),
                else_=SignInCounter.locked_until))
        .execution_options(synchronize_session=False))
    if db.session.execute(statement).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(SignInCounter(address_hash=key, failures=1,
                                             window_started_at=moment))
        except IntegrityError:
            # Another worker inserted the row first: count on it.
            db.session.execute(statement)
    locked = minutes_locked(email)
    if locked:
        log.warning("address %s locked for %s minutes after failed sign-ins",
                    log_address(email), locked)
    return locked


def clear_failures(email):
    db.session.execute(delete(SignInCounter).where(
        SignInCounter.address_hash == address_hash(email)))


def purge_sign_in_counters():
    """Delete counters nobody needs any more (their window and lock are over)."""
    cutoff = now() - max(FAILURE_WINDOW, LOCK_TIME)
    return db.session.execute(delete(SignInCounter).where(
        SignInCounter.window_started_at <= cutoff,
        or_(SignInCounter.locked_until.is_(None), SignInCounter.locked_until <= now()))).rowcount


# -- second factor ----------------------------------------------------------------------------

def current_step():
    """The TOTP time step of the WDP clock (30-second steps since the Unix epoch)."""
    return int(now().replace(tzinfo=UTC).timestamp()) // 30


def start_enrolment(editor):
    """Give a not yet enrolled editor a fresh key to scan."""
    editor.totp_secret = pyotp.random_base32()
    editor.totp_last_step = None


def provisioning_uri(editor):
    return pyotp.TOTP(editor.totp_secret).provisioning_uri(name=editor.email, issuer_name="WDP")


def normalised_code(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def is_totp_shape(code):
    return re.fullmatch(r"\d{6}", normalised_code(code)) is not None


def verify_totp(editor, code):
    """Accept a code of the previous, current or next step, if that step is newer than the
    last accepted one. The step is claimed in the database, so a code works once."""
    code = normalised_code(code)
    if editor.totp_secret is None or not re.fullmatch(r"\d{6}", code):
        return TOTP_WRONG
    totp = pyotp.TOTP(editor.totp_secret)
    step_now = current_step()
    # One step either side: a phone's clock may be a little off.
    matching = [step for step in (step_now + 1, step_now, step_now - 1)
                if hmac.compare_digest(totp.generate_otp(step), code)]
    if not matching:
        return TOTP_WRONG
    step = matching[0]
    claimed = db.session.execute(
        update(Editor)
        .where(Editor.id == editor.id,
               or_(Editor.totp_last_step.is_(None), Editor.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return TOTP_USED
    editor.totp_last_step = step
    return TOTP_OK


def _recovery_hash(code):
    return hashlib.sha256(normalised_code(code).encode()).hexdigest()


def new_recovery_codes(editor):
    """Replace the editor's recovery codes; return the new ones, to be shown only once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.editor_id == editor.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        db.session.add(RecoveryCode(editor_id=editor.id, code_hash=_recovery_hash(raw)))
        half = RECOVERY_CODE_LENGTH // 2
        codes.append(f"{raw[:half]}-{raw[half:]}")
    return codes


def use_recovery_code(editor, code):
    """Spend one unused recovery code; True when it was valid (a code works once)."""
    if not normalised_code(code):
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.editor_id == editor.id,
               RecoveryCode.code_hash == _recovery_hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)).rowcount
    if used:
        log.info("editor %s used a recovery code", editor.id)
    return used == 1


def remaining_recovery_codes(editor):
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.editor_id == editor.id, RecoveryCode.used_at.is_(None))).all())


def confirm_enrolment(editor, code):
    """Finish enrolment with a first code: (outcome, recovery codes or None)."""
    outcome = verify_totp(editor, code)
    if outcome != TOTP_OK:
        return outcome, None
    editor.enrolled_at = now()
    log.info("editor %s enrolled a second factor", editor.id)
    return outcome, new_recovery_codes(editor)


# -- sessions ---------------------------------------------------------------------------------

def start_session(editor, method):
    """Sign the editor in after both factors; return the raw token for the cookie."""
    raw = secrets.token_urlsafe(32)
    db.session.add(EditorSession(token_hash=token_hash(raw), editor_id=editor.id,
                                 created_at=now(), last_seen_at=now()))
    editor.last_sign_in_at = now()
    clear_failures(editor.email)
    log.info("editor %s signed in (%s)", editor.id, method)
    return raw


@functools.cache
def _session_statement():
    # Built once (every editor request runs it): building it cost more than running it.
    return (select(EditorSession)
            .where(EditorSession.token_hash == bindparam("token_hash"),
                   EditorSession.ended_at.is_(None))
            .options(joinedload(EditorSession.editor)))


def find_session(raw):
    """The open session for a cookie value, or None."""
    if not raw or len(raw) > 100:
        return None
    # One query for the session and its editor: every editor request starts here.
    return db.session.scalar(_session_statement(), {"token_hash": token_hash(raw)})


def session_end_reason(editor_session):
    """Why an open session may not go on ("idle", "age", "disabled"), or None."""
    moment = now()
    idle = timedelta(minutes=current_app.config["WDP_EDITOR_IDLE_MINUTES"])
    if not editor_session.editor.is_active:
        return "disabled"
    if editor_session.created_at <= moment - MAX_SESSION_AGE:
        return "age"
    if editor_session.last_seen_at <= moment - idle:
        return "idle"
    return None


def touch_session(editor_session):
    """Record activity (at most once per SEEN_RESOLUTION); True when something changed."""
    if editor_session.last_seen_at <= now() - SEEN_RESOLUTION:
        editor_session.last_seen_at = now()
        return True
    return False


def end_session(editor_session, reason):
    editor_session.ended_at = now()
    log.info("session of editor %s ended (%s)", editor_session.editor_id, reason)


def end_all_sessions(editor, keep=None):
    query = (update(EditorSession)
             .where(EditorSession.editor_id == editor.id, EditorSession.ended_at.is_(None))
             .values(ended_at=now())
             .execution_options(synchronize_session="fetch"))
    if keep is not None:
        query = query.where(EditorSession.id != keep.id)
    return db.session.execute(query).rowcount


def disable_editor(editor):
    """Disable an account: no sign-in, and every open session ends now."""
    editor.disabled_at = now()
    ended = end_all_sessions(editor)
    revoke_tokens(PASSWORD_RESET, editor.id)
    log.info("editor %s disabled, %s sessions ended", editor.id, ended)


def create_admin(name, email):
    """The first admin, from the command line: (editor, link to choose a password)."""
    editor = create_editor(name, email, ADMIN)
    return editor, issue_password_link(editor, NEW_ACCOUNT_LINK_LIFETIME)
