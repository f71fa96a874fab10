"""Every change admins make: editor accounts, reasons, message templates and theme versions."""
import logging
import re
import unicodedata

from sqlalchemy import delete, func, select, update

from wdp.editors import operations as editor_ops
from wdp.editors.models import ADMIN, RecoveryCode
from wdp.extensions import db
from wdp.mail.outbox import queue_mail
from wdp.moderation.models import MessageTemplate, Reason
from wdp.publication import policy as publication_policy
from wdp.sectors.models import Theme

# Never an e-mail address in these lines: editors are named by id.
log = logging.getLogger("wdp.admin")

LANGUAGES = ("nl", "fr", "en")
THEME_FIELDS = ("title", "question_self", "question_other", "help")


class AdminRefused(Exception):
    """A change an admin may not make (on their own account, or an outdated form)."""


# -- editors ----------------------------------------------------------------------------------

def invite_editor(admin, name, email, role, language="nl"):
    """Create an account and mail a single-use link (24 hours) to choose a password."""
    editor = editor_ops.create_editor(name, email, role)
    link = editor_ops.issue_password_link(editor, editor_ops.NEW_ACCOUNT_LINK_LIFETIME)
    queue_mail(editor.email, "editor_invitation", language, name=editor.name, link=link,
               hours=int(editor_ops.NEW_ACCOUNT_LINK_LIFETIME.total_seconds() // 3600))
    log.info("admin %s created editor %s with role %s and queued the invitation",
             admin.id, editor.id, role)
    return editor


def _not_self(admin, editor, message):
    if admin.id == editor.id:
        raise AdminRefused(message)


def disable(admin, editor, message):
    """Disable an account; its sessions and password links end at once."""
    _not_self(admin, editor, message)
    if editor.disabled_at is None:
        editor_ops.disable_editor(editor)
        log.info("admin %s disabled editor %s", admin.id, editor.id)


def enable(admin, editor):
    if editor.disabled_at is not None:
        editor.disabled_at = None
        log.info("admin %s enabled editor %s", admin.id, editor.id)


def change_role(admin, editor, role, message):
    """Give an editor another role; an admin never demotes themselves."""
    if role != ADMIN:
        _not_self(admin, editor, message)
    if editor.role != role:
        editor.role = role
        log.info("admin %s gave editor %s the role %s", admin.id, editor.id, role)


def reset_second_factor(admin, editor):
    """Forget the authenticator key and recovery codes: the editor enrols again at the next
    sign-in. Their sessions end now (the admin's own too, when it is their account)."""
    editor.totp_secret = None
    editor.totp_last_step = None
    editor.enrolled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.editor_id == editor.id))
    ended = editor_ops.end_all_sessions(editor)
    log.info("admin %s reset the second factor of editor %s, %s sessions ended",
             admin.id, editor.id, ended)


# -- reasons ----------------------------------------------------------------------------------

def reason_key(label):
    """A stable key from the Dutch label: "Er staan scheldwoorden in." -> "er_staan_..."."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:32].rstrip("_") or "reden"
    taken = set(db.session.scalars(select(Reason.key).where(Reason.key.like(f"{base}%"))))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def add_reason(admin, labels):
    """A new reason at the end of the list, offered to editors at once."""
    last = db.session.scalar(select(func.max(Reason.position)))
    reason = Reason(key=reason_key(labels["nl"]), position=(last or 0) + 1, active=True,
                    **{f"label_{lang}": labels[lang] for lang in LANGUAGES})
    db.session.add(reason)
    db.session.flush()
    log.info("admin %s added reason %s", admin.id, reason.key)
    return reason


def edit_reason(admin, reason, labels):
    for lang in LANGUAGES:
        setattr(reason, f"label_{lang}", labels[lang])
    log.info("admin %s changed the wording of reason %s", admin.id, reason.key)


def set_reason_active(admin, reason, active):
    """Retire or bring back a reason; it is never deleted, old decisions name its key."""
    reason.active = active
    log.info("admin %s %s reason %s", admin.id, "reactivated" if active else "retired",
             reason.key)


def set_reason_for_responses(admin, reason, for_responses):
    """Offer a reason also when an organisation's response is rejected, or only for ratings."""
    reason.for_responses = for_responses
    log.info("admin %s %s reason %s for responses", admin.id,
             "offered" if for_responses else "withdrew", reason.key)


def move_reason(admin, reason, step):
    """Move a reason one place up (-1) or down (+1); positions become 0..n-1."""
    reasons = db.session.scalars(select(Reason).order_by(Reason.position, Reason.id)).all()
    index = reasons.index(reason)
    target = index + step
    if 0 <= target < len(reasons):
        reasons[index], reasons[target] = reasons[target], reasons[index]
        log.info("admin %s moved reason %s %s", admin.id, reason.key,
                 "up" if step < 0 else "down")
    for position, each in enumerate(reasons):
        each.position = position


# -- message templates ------------------------------------------------------------------------

def save_template(admin, key, language, body):
    template = db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.key == key, MessageTemplate.language == language))
    if template is None:
        template = MessageTemplate(key=key, language=language, body=body)
        db.session.add(template)
    template.body = body
    log.info("admin %s changed message template %s/%s", admin.id, key, language)
    return template


# -- publication policy -----------------------------------------------------------------------

def choose_publication_policy(admin, policy):
    """Record the policy every approval applies from now on; False when it already held."""
    if publication_policy.current_policy() == policy:
        return False
    publication_policy.set_policy(policy, admin.id)
    log.info("admin %s set the publication policy to %s", admin.id, policy)
    return True


# -- themes -----------------------------------------------------------------------------------

def theme_values(theme):
    return {f"{field}_{lang}": getattr(theme, f"{field}_{lang}")
            for field in THEME_FIELDS for lang in LANGUAGES}


def new_theme_version(admin, theme, values, message):
    """Save new wording as a new version; the old version stays for the ratings that
    answered it. Returns the new version, or None when nothing changed.

    The old row is switched off with a conditional UPDATE: of two admins saving the same
    version at once, one wins and the other gets AdminRefused.
    """
    if values == theme_values(theme):
        return None
    switched = db.session.execute(
        update(Theme).where(Theme.id == theme.id, Theme.is_current.is_(True))
        .values(is_current=False).execution_options(synchronize_session=False)).rowcount
    if switched != 1:
        raise AdminRefused(message)
    theme.is_current = False
    new = Theme(sector_id=theme.sector_id, key=theme.key, version=theme.version + 1,
                is_current=True, position=theme.position, **values)
    db.session.add(new)
    db.session.flush()
    log.info("admin %s saved version %s of theme %s in sector %s", admin.id, new.version,
             theme.key, theme.sector_id)
    return new
