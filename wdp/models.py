"""Imports every model module so that the metadata is complete wherever the app runs."""
from wdp.editors.models import Editor, EditorSession, RecoveryCode, SignInCounter  # noqa: F401
from wdp.locations.models import Location, Organisation, Participation  # noqa: F401
from wdp.mail.models import OutboxMessage  # noqa: F401
from wdp.moderation.models import (  # noqa: F401
    MessageTemplate,
    RatingEvent,
    RatingVersion,
    Reason,
    Report,
)
from wdp.organisations.models import OrganisationContact, Response, ResponseEvent, SignUp  # noqa: F401
from wdp.publication.models import PlatformSetting, Reminder  # noqa: F401
from wdp.rating_form.models import Draft, FormStepCount, Rating, RatingAnswer  # noqa: F401
from wdp.sectors.models import LocationKind, Sector, Theme  # noqa: F401
from wdp.tokens import LinkToken  # noqa: F401
