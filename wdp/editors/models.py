"""Editors, their server-side sessions, recovery codes and the per-address sign-in counter."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from wdp.clock import now
from wdp.extensions import db

EDITOR, ADMIN = "editor", "admin"
ROLES = (EDITOR, ADMIN)


class Editor(db.Model):
    __tablename__ = "editors"
    __table_args__ = (CheckConstraint("role IN ('editor', 'admin')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: always stored lowercased, so one address is one account
    email: Mapped[str] = mapped_column(String(320), unique=True)
    #: argon2id; empty until the editor chose a password through a link
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default=EDITOR)
    #: base32 TOTP key; set at the first password sign-in, confirmed when enrolled_at is set
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the last accepted TOTP time step: a code of this step or older is refused (no replay)
    totp_last_step: Mapped[int | None]
    enrolled_at: Mapped[datetime | None]
    #: a disabled editor cannot sign in, and their open sessions end at once
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_sign_in_at: Mapped[datetime | None]

    @validates("email")
    def _lowercase(self, key, value):
        return value.strip().lower()

    @property
    def is_admin(self):
        return self.role == ADMIN

    @property
    def is_active(self):
        return self.disabled_at is None


class EditorSession(db.Model):
    """A signed-in editor; the cookie holds a random token, this row only its hash."""

    __tablename__ = "editor_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the cookie's token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("editors.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: the last request; the session ends after WDP_EDITOR_IDLE_MINUTES without one
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    #: sign-out, idle expiry, a new password or disabling: the cookie no longer works
    ended_at: Mapped[datetime | None]

    editor: Mapped[Editor] = relationship()


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator app."""

    __tablename__ = "editor_recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("editors.id"), index=True)
    #: SHA-256 of the code (random and long enough that a fast hash is safe)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    used_at: Mapped[datetime | None]


class SignInCounter(db.Model):
    """Failed sign-ins per e-mail address, in the database so it holds across workers."""

    __tablename__ = "sign_in_counters"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: HMAC-SHA256 of the lowercased address: counts unknown addresses too, stores none
    address_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    #: the first failure of the current window
    window_started_at: Mapped[datetime] = mapped_column(default=now)
    #: no password or code is checked for the address before this moment
    locked_until: Mapped[datetime | None]
