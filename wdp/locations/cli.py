"""CLI commands for locations: participation start|end (import-register lives in importer.py)."""
from datetime import date

import click
from flask.cli import with_appcontext

from wdp.extensions import db
from wdp.locations.operations import (ParticipationError, end_participation, find_location,
                                      start_participation)


def _location(reference):
    location = find_location(reference)
    if location is None:
        raise click.ClickException(f"No single location matches {reference!r}.")
    return location


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD") from None


@click.group("participation")
def participation_group():
    """Record participation agreements (until the admin page exists)."""


@participation_group.command("start")
@click.argument("location")
@click.argument("signed_on")
@click.option("--note", default="")
@with_appcontext
def start(location, signed_on, note):
    """Record that LOCATION (id, code or register id) signed on SIGNED_ON."""
    loc = _location(location)
    try:
        start_participation(loc, _date(signed_on), note)
    except ParticipationError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{loc.name} participates from {signed_on}.")


@participation_group.command("end")
@click.argument("location")
@click.argument("ended_on")
@click.option("--note", default="")
@with_appcontext
def end(location, ended_on, note):
    """Record that LOCATION stops participating on ENDED_ON."""
    loc = _location(location)
    try:
        end_participation(loc, _date(ended_on), note)
    except ParticipationError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{loc.name} no longer participates from {ended_on}.")
