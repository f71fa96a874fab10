"""The flask CLI commands: seed, demo, import-register, participation, send-mail, create-admin."""
import click
from flask.cli import with_appcontext

from wdp.extensions import db


@click.command("seed")
@with_appcontext
def seed_command():
    """Create the four sectors, their kinds and default themes where missing."""
    from wdp.sectors.operations import seed_reference_data
    seed_reference_data()
    db.session.commit()
    click.echo("Sectors, kinds and themes are in place.")


def init_app(app):
    app.cli.add_command(seed_command)
    from wdp.demo import demo_command
    from wdp.editors.cli import create_admin_command
    from wdp.jobs import run_jobs_command
    from wdp.locations.cli import import_register_command, participation_group
    from wdp.mail.cli import send_mail_command, send_test_mail_command
    for command in (participation_group, import_register_command, send_mail_command,
                    send_test_mail_command, demo_command, run_jobs_command, create_admin_command):
        app.cli.add_command(command)
