"""run-jobs: everything scheduled, safe to run every minute and from two machines at once."""
import click
from flask.cli import with_appcontext

from wdp.extensions import db


def run_jobs():
    """Do what is due; each job commits its own work. Returns {job: count}."""
    from wdp.rating_form.operations import delete_expired_drafts, expire_unconfirmed
    done = {}
    done["expired unconfirmed ratings"] = expire_unconfirmed()
    db.session.commit()
    done["deleted expired drafts"] = delete_expired_drafts()
    db.session.commit()
    from wdp.publication.jobs import run_publication_jobs
    done.update(run_publication_jobs())  # commits per batch
    from wdp.organisations.notify import send_digests
    done["weekly organisation digests"] = send_digests()  # commits per contact
    from wdp.participation.operations import erase_handled_sign_ups
    done["erased sign-up contact details"] = erase_handled_sign_ups()
    db.session.commit()
    from wdp.editors.operations import purge_sign_in_counters
    done["purged sign-in counters"] = purge_sign_in_counters()
    db.session.commit()
    return done


@click.command("run-jobs")
@with_appcontext
def run_jobs_command():
    """Run every scheduled job that is due and say what it did."""
    for job, count in run_jobs().items():
        click.echo(f"{job}: {count}")
