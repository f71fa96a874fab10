"""Reads for the admin pages."""
from sqlalchemy import func, select

from wdp.editors.models import Editor
from wdp.extensions import db
from wdp.moderation.models import MessageTemplate, Reason
from wdp.publication import policy as publication_policy
from wdp.publication.models import PlatformSetting
from wdp.rating_form.models import RatingAnswer
from wdp.sectors.models import Theme


def editors():
    return db.session.scalars(select(Editor).order_by(func.lower(Editor.name), Editor.id)).all()


def reasons():
    return db.session.scalars(select(Reason).order_by(Reason.position, Reason.id)).all()


def templates():
    """{(key, language): MessageTemplate}"""
    return {(t.key, t.language): t for t in db.session.scalars(select(MessageTemplate))}


def template(key, language):
    return db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.key == key, MessageTemplate.language == language))


def current_theme(sector, key):
    return db.session.scalar(select(Theme).where(
        Theme.sector_id == sector.id, Theme.key == key, Theme.is_current.is_(True)))


def versions_with_counts(sector, key=None):
    """[(theme version row, number of answers given with it)], newest version first."""
    query = (select(Theme, func.count(RatingAnswer.id))
             .outerjoin(RatingAnswer, RatingAnswer.theme_id == Theme.id)
             .where(Theme.sector_id == sector.id)
             .group_by(Theme.id)
             .order_by(Theme.position, Theme.version.desc()))
    if key is not None:
        query = query.where(Theme.key == key)
    return db.session.execute(query).all()


def publication_policy_choice():
    """(policy in force, the setting row or None, the name of the admin who chose it or None)."""
    row = db.session.execute(
        select(PlatformSetting, Editor.name)
        .outerjoin(Editor, Editor.id == PlatformSetting.updated_by_id)
        .where(PlatformSetting.key == publication_policy.KEY)).first()
    setting, name = row if row else (None, None)
    return publication_policy.current_policy(), setting, name
