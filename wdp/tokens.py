"""Single-use link tokens: random, stored only as a SHA-256 hash with purpose, subject and expiry."""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from wdp.clock import now
from wdp.extensions import db


def token_hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class LinkToken(db.Model):
    __tablename__ = "link_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: what the link may do, e.g. "confirm"; a token never works for another purpose
    purpose: Mapped[str] = mapped_column(String(30))
    #: the id of what it acts on (a rating for "confirm")
    subject_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: set when a newer link replaced this one (e.g. the address was corrected)
    revoked_at: Mapped[datetime | None]

    @property
    def state(self):
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now():
            return "expired"
        return "valid"


def issue_token(purpose, subject_id, lifetime: timedelta):
    """Create a token and return the raw value for the link; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    db.session.add(LinkToken(token_hash=token_hash(raw), purpose=purpose, subject_id=subject_id,
                             expires_at=now() + lifetime))
    return raw


def find_token(raw, purpose):
    """The token row for a raw value and purpose, or None (wrong, forged or other purpose)."""
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(select(LinkToken).where(
        LinkToken.token_hash == token_hash(raw), LinkToken.purpose == purpose))


def revoke_tokens(purpose, subject_id):
    for token in db.session.scalars(select(LinkToken).where(
            LinkToken.purpose == purpose, LinkToken.subject_id == subject_id,
            LinkToken.used_at.is_(None), LinkToken.revoked_at.is_(None))):
        token.revoked_at = now()
