"""Writes of the rating form: drafts, answers, submission, confirmation mails and step counts."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
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


def find_draft(raw):
    """The draft behind a cookie token, or None when unknown, forged or expired.

    draft.location_listed says, from the same query, whether its location may be rated now.
    """
    if not raw or len(raw) > 100:
        return None
    row = db.session.execute(
        select(Draft, is_listed().label("listed"))
        .join(Location, Location.id == Draft.location_id)
        .where(Draft.token_hash == _hash(raw))
        .options(contains_eager(Draft.location).joinedload(Location.sector))).first()
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


def new_reference():
    """A short reference like W-4K7P2Q that no rating has yet."""
    while True:
        reference = "W-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6)).upper()
        if db.session.scalar(select(Rating.id).where(Rating.reference == reference)) is None:
            return reference


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


def submit_draft(draft, language):
    """Turn a complete, claimed draft into a submitted rating and queue its confirmation mail.

    The draft stays (without answers) as long as the confirmation link, so the mailbox
    page can resend or correct the address.
    """
    rating = Rating(location=draft.location, role=draft.role, language=language,
                    overall_score=draft.overall_score, experience_text=draft.experience_text,
                    email=draft.email, reference=new_reference(), created_at=draft.created_at,
                    publish_consent=draft.publish_consent)
    db.session.add(rating)
    transition(rating, Status.DRAFT, actor_type="submitter")
    transition(rating, Status.SUBMITTED, actor_type="submitter")
    rating.submitted_at = now()
    db.session.flush()  # the rating and its events: the answers and the link need its id
    # The answers as one multi-row INSERT, without the unit of work's per-object cost.
    answers = [{"rating_id": rating.id, "theme_id": answer["theme_id"],
                "score": answer["score"], "text": answer["text"]}
               for answer in (draft.answers or {}).values()]
    if answers:
        db.session.execute(insert(RatingAnswer), answers)
    draft.rating = rating
    # The rating holds everything now; the draft only leads to the mailbox page.
    draft.email = None
    draft.answers = {}
    draft.experience_text = None
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


def count_step(sector_id, step, what):
    """Add one to views, completions or stops of a step today: anonymous, atomic."""
    table = FormStepCount.__table__
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    values = {"sector_id": sector_id, "step": step, "day": today(),
              "views": 0, "completions": 0, "stops": 0}
    values[what] = 1
    statement = insert(table).values(**values).on_conflict_do_update(
        index_elements=["sector_id", "step", "day"], set_={what: table.c[what] + 1})
    db.session.execute(statement)
    if what == "views" and db.engine.dialect.name == "postgresql":
        # A page view writes nothing else, and a view count lost in a crash does no harm:
        # this transaction need not wait for its WAL flush.
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


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
