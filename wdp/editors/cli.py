"""The create-admin command: the first admin account, with a one-time link to choose a password."""
import click
from email_validator import EmailNotValidError
from flask.cli import with_appcontext

from wdp.editors import operations as ops
from wdp.extensions import db
from wdp.mail.outbox import checked_address


@click.command("create-admin")
@click.argument("email")
@click.argument("name")
@with_appcontext
def create_admin_command(email, name):
    """Create an admin and print a link to choose a password (the link works once)."""
    try:
        address = checked_address(email)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from error
    if not name.strip():
        raise click.BadParameter("give the admin's name", param_hint="NAME")
    if ops.find_editor(address) is not None:
        raise click.ClickException("an editor with this e-mail address already exists")
    editor, link = ops.create_admin(name, address)
    db.session.commit()
    hours = int(ops.NEW_ACCOUNT_LINK_LIFETIME.total_seconds() // 3600)
    click.echo(f"Admin {editor.id} created. Send this link to the admin; it works once, "
               f"within {hours} hours, to choose a password:")
    click.echo(link)
