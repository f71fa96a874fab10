"""Writes of moderation: seeding reasons and message templates (the inbox adds decisions)."""
from sqlalchemy import select

from wdp.extensions import db
from wdp.moderation.defaults import NOT_FOR_RESPONSES, REASONS, TEMPLATES
from wdp.moderation.models import MessageTemplate, Reason


def seed_moderation_defaults():
    """Create the default reasons and message templates where missing; keep admins' edits."""
    have = set(db.session.scalars(select(Reason.key)))
    for position, (key, nl, fr, en) in enumerate(REASONS):
        if key not in have:
            db.session.add(Reason(key=key, position=position, label_nl=nl, label_fr=fr,
                                  label_en=en, for_responses=key not in NOT_FOR_RESPONSES))
    templates = set(db.session.execute(select(MessageTemplate.key, MessageTemplate.language)))
    for key, bodies in TEMPLATES.items():
        for language, body in bodies.items():
            if (key, language) not in templates:
                db.session.add(MessageTemplate(key=key, language=language, body=body))
    db.session.flush()
