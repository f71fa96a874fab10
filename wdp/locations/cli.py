"""CLI commands for locations: import-register and participation start|end."""
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from wdp.extensions import db
from wdp.locations.importer import RegisterFileError, read_register_file, sync_register
from wdp.locations.operations import (
    ParticipationError,
    end_participation,
    find_location,
    start_participation,
)


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
    """Record participation agreements (admins also do it at /redactie/beheer/deelname)."""


@participation_group.command("start")
@click.argument("location")
@click.argument("signed_on")
@click.option("--note", default="")
@click.option("--signed-by", default="", help="Who signed for the organisation.")
@with_appcontext
def start(location, signed_on, note, signed_by):
    """Record that LOCATION (id, code or register id) signed on SIGNED_ON."""
    loc = _location(location)
    try:
        start_participation(loc, _date(signed_on), note, signed_by=signed_by)
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


@click.command("import-register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
@click.option("--source", default=None,
              help="Name of the register the file comes from (default: sociale-kaart for "
                   "JSON, csv for CSV). Give each register its own name.")
@with_appcontext
def import_register_command(file, dry_run, source):
    """Sync the locations with a register export FILE (Sociale Kaart JSON or CSV)."""
    try:
        result = sync_register(read_register_file(file, source=source))
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except RegisterFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise click.ClickException(
            f"{file.name}: the database refused the import, nothing was saved ({reason}). "
            "If another import was running, run this one again.") from None
    _echo_result(result, dry_run)


def _echo_result(result, dry_run):
    click.echo(f"{result.file_name}: {result.records} records from source {result.source!r}, "
               f"covering {', '.join(sorted(result.covered_kinds)) or 'no kinds'}.")
    for mark, label, changes in (("+", "added", result.added), ("~", "updated", result.updated),
                                 ("-", "hidden", result.hidden),
                                 ("^", "shown again", result.shown_again)):
        for change in changes:
            detail = f": {', '.join(change.detail)}" if change.detail else ""
            click.echo(f"{mark} {label} {change.register_id} {change.name} "
                       f"({change.kind}){detail}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    fields = ", ".join(f"{name} {n}" for name, n in sorted(result.field_counts().items()))
    counts = (f"added {len(result.added)}, "
              f"updated {len(result.updated)}{f' ({fields})' if fields else ''}, "
              f"hidden {len(result.hidden)}, shown again {len(result.shown_again)}; "
              f"unchanged {result.unchanged}; warnings {len(result.warnings)}.")
    if dry_run:
        click.echo(f"Dry run, nothing was saved. {result.changed} would change: {counts}")
    else:
        click.echo(f"{result.changed} changed: {counts}")
