"""The append-only history of every rating's moves through the state machine."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db


class RatingEvent(db.Model):
    __tablename__ = "rating_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    #: "submitter", "editor", "system", "organisation", "import" ...
    actor_type: Mapped[str] = mapped_column(String(30))
    #: the editor's id when an editor acted
    actor_id: Mapped[int | None]
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    #: code-of-conduct reason keys, comma separated
    reasons: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")

    rating = relationship("Rating")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(RatingEvent, "before_update")
@event.listens_for(RatingEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("rating events are never changed or deleted")
