"""Writes of the rating form: drafts, answers, submission, confirmation mails and step counts."""
import functools
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import Date, and_, bindparam, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from wdp.clock import now, today
from wdp.extensions import db
from wdp.locations.models import Location, is_listed
from wdp.locations.operations import CODE_ALPHABET
from wdp.mail.outbox import link_to, queue_mail
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition, Status, transition
from wdp.publication.links import status_link
from wdp.rating_form.forms import UNKNOWN
from wdp.rating_form.models import Draft, FormStepCount, Rating, RatingAnswer
from wdp.tokens import LinkToken, find_token, issue_token, revoke_tokens

CONFIRM = "confirm"


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def start_draft(location, language):
    """Create a draft and return it with the raw token for the cookie."""
    raw = secrets.token_urlsafe(32)
    draft = Draft(token_hash=_hash(raw), location=location, language=language, answers={},
                  expires_at=now() + timedelta(days=current_app.config["WDP_DRAFT_DAYS"]))
    db.session.add(draft)
    return draft, raw


@functools.cache
def _draft_statement():
    # Built once (every form page runs it); today's date and the hash are parameters.
    return (select(Draft, is_listed(bindparam("day", type_=Date)).label("listed"))
            .join(Location, Location.id == Draft.location_id)
            .where(Draft.token_hash == bindparam("token_hash"))
            .options(contains_eager(Draft.location).joinedload(Location.sector)))


def find_draft(raw):
    """The draft behind a cookie token, or None when unknown, forged or expired.

    draft.location_listed says, from the same query, whether its location may be rated now.
    """
    if not raw or len(raw) > 100:
        return None
    row = db.session.execute(_draft_statement(),
                             {"day": today(), "token_hash": _hash(raw)}).first()
    if row is None or row.Draft.expires_at <= now():
        return None
    draft = row.Draft
    draft.location_listed = bool(row.listed)
    return draft


def delete_draft(draft):
    db.session.delete(draft)


def save_theme_answer(draft, theme, score, text):
    answers = dict(draft.answers or {})
    answers[theme.key] = {"theme_id": theme.id, "score": None if score == UNKNOWN else int(score),
                          "text": text}
    # A new dict, so the JSON column is seen as changed.
    draft.answers = answers


def missing_step(draft, themes):
    """The first question without an answer, or None when everything needed is there."""
    if not draft.role:
        return "rol"
    for number, theme in enumerate(themes, start=1):
        if theme.key not in (draft.answers or {}):
            return f"thema-{number}"
    if not draft.overall_score:
        return "score"
    if draft.experience_text is None:
        return "ervaring"
    if not draft.email or not draft.agreed:
        return "email"
    return None


def claim_draft(draft):
    """Mark the draft as being submitted; of two submits at once only one gets True.

    The draft object gets the new times without a reload.
    """
    moment = now()
    values = {"updated_at": moment,
              "expires_at": moment + timedelta(days=current_app.config["WDP_CONFIRM_DAYS"])}
    claimed = db.session.execute(
        Draft.__table__.update().where(Draft.id == draft.id, Draft.rating_id.is_(None),
                                       Draft.expires_at > moment)
        .values(values)).rowcount == 1
    if claimed:
        for name, value in values.items():
            set_committed_value(draft, name, value)
    return claimed


#: how often submit_draft() draws a new reference when the one it drew is taken
REFERENCE_ATTEMPTS = 5


def new_unchecked_reference():
    """A short reference like W-4K7P2Q; the unique index on ratings.reference checks it."""
    return "W-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6)).upper()


@functools.cache
def _finish_draft_statement():
    """Claim the draft for its rating and empty it, in one UPDATE: of two submits at once only
    one finds rating_id still empty (the other waits for its row lock, then finds none)."""
    table = Draft.__table__
    return (table.update()
            .where(table.c.id == bindparam("draft_id"), table.c.rating_id.is_(None),
                   table.c.expires_at > bindparam("moment"))
            .values(rating_id=bindparam("new_rating_id"), answers={}, email=None,
                    experience_text=None, publish_consent=bindparam("consent"),
                    updated_at=bindparam("moment"), expires_at=bindparam("until")))


@functools.cache
def _answers_insert(count):
    """INSERT of count answers of one rating as one statement, built once per count."""
    return insert(RatingAnswer).values([
        {"rating_id": bindparam("answers_rating_id"), "theme_id": bindparam(f"theme_id_{number}"),
         "score": bindparam(f"score_{number}"), "text": bindparam(f"text_{number}")}
        for number in range(count)])


def submit_draft(draft, language, publish_consent=None):
    """Turn a complete draft into a submitted rating and queue its confirmation mail; the
    rating, or None when another submit took the draft first (then the caller rolls back).

    The draft stays (without answers) as long as the confirmation link, so the mailbox
    page can resend or correct the address. It must be the first write of the transaction:
    when the drawn reference is taken (the INSERT fails on the unique index, about once in a
    thousand submits with a million ratings) it rolls back and tries another one, instead of
    looking each reference up first.
    """
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        try:
            return _submit_draft(draft, language, publish_consent)
        except IntegrityError as error:
            if attempt == REFERENCE_ATTEMPTS or "reference" not in str(error.orig).lower():
                raise
            db.session.rollback()


def _submit_draft(draft, language, publish_consent):
    rating = Rating(location=draft.location, role=draft.role, language=language,
                    overall_score=draft.overall_score, experience_text=draft.experience_text,
                    email=draft.email, reference=new_unchecked_reference(),
                    created_at=draft.created_at, publish_consent=publish_consent)
    db.session.add(rating)
    transition(rating, Status.DRAFT, actor_type="submitter")
    transition(rating, Status.SUBMITTED, actor_type="submitter")
    rating.submitted_at = now()
    db.session.flush()  # the rating and its events: the answers and the link need its id
    # The rating holds everything now; the draft only leads to the mailbox page.
    moment = now()
    values = {"rating_id": rating.id, "answers": {}, "email": None, "experience_text": None,
              "publish_consent": publish_consent, "updated_at": moment,
              "expires_at": moment + timedelta(days=current_app.config["WDP_CONFIRM_DAYS"])}
    answers = list((draft.answers or {}).values())
    connection = db.session.connection()
    claimed = connection.execute(_finish_draft_statement(), {
        "draft_id": draft.id, "moment": moment, "new_rating_id": rating.id,
        "consent": publish_consent, "until": values["expires_at"]}).rowcount == 1
    if not claimed:
        return None
    for name, value in values.items():
        set_committed_value(draft, name, value)
    set_committed_value(draft, "rating", rating)
    if answers:
        # One statement with a row per answer (an executemany is a round trip per row).
        params = {"answers_rating_id": rating.id}
        for number, answer in enumerate(answers):
            params.update({f"theme_id_{number}": answer["theme_id"],
                           f"score_{number}": answer["score"], f"text_{number}": answer["text"]})
        connection.execute(_answers_insert(len(answers)), params)
    send_confirmation(rating, replaces=False)
    return rating


def confirmation_mails_last_hour(rating):
    return db.session.scalar(select(func.count()).select_from(LinkToken).where(
        LinkToken.purpose == CONFIRM, LinkToken.subject_id == rating.id,
        LinkToken.created_at > now() - timedelta(hours=1)))


def may_send_confirmation(rating):
    """Limit per rating, held in the database so it counts across all app servers."""
    limit = current_app.config["WDP_MAX_CONFIRM_MAILS_PER_HOUR"]
    return confirmation_mails_last_hour(rating) < limit


def send_confirmation(rating, replaces=True):
    """Queue the confirmation mail with a new link; replaces=True kills earlier links."""
    if replaces:
        revoke_tokens(CONFIRM, rating.id)
    days = current_app.config["WDP_CONFIRM_DAYS"]
    raw = issue_token(CONFIRM, rating.id, timedelta(days=days))
    link = link_to("rating_form.confirm", token=raw)
    queue_mail(rating.email, "confirm_rating", rating.language, link=link,
               reference=rating.reference, location_name=rating.location.name, days=days,
               status_link=status_link(rating))


def change_email(rating, email):
    rating.email = email
    send_confirmation(rating)


def confirm_rating(raw):
    """Use a confirmation link: (outcome, rating). Outcomes: confirmed, already, expired, unknown."""
    token = find_token(raw, CONFIRM)
    if token is None:
        return "unknown", None
    rating = db.session.get(Rating, token.subject_id)
    if rating is None:
        return "unknown", None
    if token.state == "used" or rating.status != Status.SUBMITTED:
        return ("already" if rating.confirmed_at else "expired"), rating
    if token.state != "valid":
        return "expired", rating
    # Claim the token in the database: of two clicks at once, one confirms.
    claimed = db.session.execute(
        LinkToken.__table__.update()
        .where(LinkToken.id == token.id, LinkToken.used_at.is_(None),
               LinkToken.revoked_at.is_(None), LinkToken.expires_at > now())
        .values(used_at=now())).rowcount
    if claimed != 1:
        return "already", rating
    transition(rating, Status.IN_MODERATION, actor_type="submitter")
    rating.confirmed_at = now()
    rating.repeat_of_id = earlier_rating_id(rating)
    return "confirmed", rating


def earlier_rating_id(rating):
    """A confirmed rating by the same address for the same location within the interval."""
    since = now() - timedelta(days=current_app.config["WDP_REPEAT_INTERVAL_DAYS"])
    return db.session.scalar(
        select(Rating.id).where(
            Rating.location_id == rating.location_id, Rating.id != rating.id,
            Rating.email == rating.email.lower(),
            Rating.confirmed_at.is_not(None), Rating.confirmed_at >= since)
        .order_by(Rating.confirmed_at.desc()).limit(1))


def erase_personal_data(rating):
    """Erase what could identify the submitter; the row, scores and events stay."""
    rating.email = None
    rating.experience_text = ""
    for answer in rating.answers:
        answer.text = ""
    rating.personal_data_erased_at = now()


def expire_unconfirmed():
    """Expire submitted ratings without a valid confirmation link; returns how many."""
    valid_link = select(LinkToken.id).where(
        LinkToken.purpose == CONFIRM, LinkToken.subject_id == Rating.id,
        LinkToken.used_at.is_(None), LinkToken.revoked_at.is_(None),
        LinkToken.expires_at > now()).exists()
    ids = db.session.scalars(select(Rating.id).where(
        and_(Rating.status == Status.SUBMITTED, ~valid_link))).all()
    expired = 0
    for rating_id in ids:
        rating = db.session.get(Rating, rating_id)
        try:
            with db.session.begin_nested():
                transition(rating, Status.EXPIRED, actor_type="system")
                erase_personal_data(rating)
            expired += 1
        except (ConcurrentTransition, IllegalTransition):  # another runner was first
            db.session.expire(rating)
    return expired


def delete_expired_drafts():
    return db.session.execute(delete(Draft).where(Draft.expires_at <= now())).rowcount


@functools.cache
def _count_statement(dialect, what):
    table = FormStepCount.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"sector_id": bindparam("sector_id"), "step": bindparam("step"),
              "day": bindparam("day"), "views": 0, "completions": 0, "stops": 0}
    values[what] = 1
    return insert(table).values(**values).on_conflict_do_update(
        index_elements=["sector_id", "step", "day"], set_={what: table.c[what] + 1})


def count_step(sector_id, step, what):
    """Add one to views, completions or stops of a step today: anonymous, atomic."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    connection.execute(_count_statement(dialect, what),
                       {"sector_id": sector_id, "step": step, "day": today()})
    if what == "views" and dialect == "postgresql":
        # A page view writes nothing else, and a view count lost in a crash does no harm:
        # this transaction need not wait for its WAL flush.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


def mask_email(address):
    """j***@v***.be: enough to recognise your own address, not to read someone else's."""
    local, _, domain = address.partition("@")
    name, _, tld = domain.rpartition(".")
    return f"{local[:1]}{'*' * 3}@{name[:1]}{'*' * 3}.{tld}"


# -- changing a rating after the editors asked for changes --------------------------------

REVISE = "revise"


def revise_link(rating):
    """A fresh link for the "ask for changes" mail; earlier ones stop working."""
    revoke_tokens(REVISE, rating.id)
    raw = issue_token(REVISE, rating.id,
                      timedelta(days=current_app.config["WDP_REVISE_DAYS"]))
    return link_to("rating_form.revise", token=raw)


def revisable_rating(raw):
    """(rating, problem) for a revise link; problem is None, "unknown", "used" or "expired"."""
    token = find_token(raw, REVISE)
    if token is None:
        return None, "unknown"
    rating = db.session.get(Rating, token.subject_id)
    if token.state == "used" or (rating and rating.status != Status.CHANGES_REQUESTED):
        return rating, "used"
    if token.state != "valid":
        return rating, "expired"
    return rating, None


def draft_from_rating(rating, language):
    """A draft holding the rating's answers, to change them and send them again."""
    draft, raw = start_draft(rating.location, language)
    draft.role = rating.role
    draft.overall_score = rating.overall_score
    draft.experience_text = rating.experience_text
    draft.email = rating.email
    draft.agreed = True
    draft.revises_rating_id = rating.id
    draft.answers = {answer.theme.key: {"theme_id": answer.theme_id, "score": answer.score,
                                        "text": answer.text} for answer in rating.answers}
    return draft, raw


def snapshot(rating):
    return {"role": rating.role, "overall_score": rating.overall_score,
            "experience_text": rating.experience_text,
            "answers": {str(a.theme_id): {"score": a.score, "text": a.text}
                        for a in rating.answers}}


def resubmit_draft(draft):
    """Store what the rating said, put the changed answers in, and send it back to the editors."""
    from wdp.moderation.models import RatingVersion
    rating = draft.revises
    number = 1 + (db.session.scalar(select(func.max(RatingVersion.number)).where(
        RatingVersion.rating_id == rating.id)) or 0)
    db.session.add(RatingVersion(rating_id=rating.id, number=number, snapshot=snapshot(rating)))
    transition(rating, Status.IN_MODERATION, actor_type="submitter",
               message="resubmitted after changes were asked")
    rating.role = draft.role
    rating.overall_score = draft.overall_score
    rating.experience_text = draft.experience_text or ""
    rating.answers.clear()
    for answer in (draft.answers or {}).values():
        rating.answers.append(RatingAnswer(theme_id=answer["theme_id"], score=answer["score"],
                                           text=answer["text"]))
    for token in db.session.scalars(select(LinkToken).where(
            LinkToken.purpose == REVISE, LinkToken.subject_id == rating.id,
            LinkToken.used_at.is_(None))):
        token.used_at = now()
    draft.rating = rating
    draft.answers = {}
    draft.email = None
    draft.experience_text = None
    return rating


def last_editor_message(rating):
    """What the editors wrote when they asked for changes."""
    from wdp.moderation.models import RatingEvent
    return db.session.scalar(select(RatingEvent.message).where(
        RatingEvent.rating_id == rating.id, RatingEvent.to_status == Status.CHANGES_REQUESTED)
        .order_by(RatingEvent.id.desc()).limit(1)) or ""
