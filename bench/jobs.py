"""run-jobs over 1,000,000 published ratings with 50,000 approved ratings due for their first reminder.

    /work/venv/bin/python bench/jobs.py [--explain-only]

Issue 6: run-jobs finishes in under a minute, with batched outbox inserts and indexed queries
only. This copies the template of fill.py to a fresh `wdp_bench_jobs`, reads the fill's own
"now" from bench.info (the 50,000 approved ratings were approved 4-9 days before it, so each
is due for its first reminder and none for the second), and runs the real command,
`flask run-jobs`, as its own process at that moment (WDP_NOW; the clock honours it only in
the test configuration, so the process runs with TESTING on and the production settings
otherwise). It times the whole process (start-up included), checks what it did (50,000
reminders, 50,000 mails in the outbox, 100,000 single-purpose tokens, nothing archived),
runs it a second time (nothing left to do), then on a second fresh copy runs the jobs in
this process to catch every distinct statement they send and prints PostgreSQL's plan of
each (--no-plans skips that). Exit 1 when the first run takes a minute or more or did not do
exactly that.
"""
import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "wdp_bench_jobs"
TARGET_SECONDS = 60


def fresh_database(url):
    with fill.admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{fill.TEMPLATE}" '
                     "STRATEGY FILE_COPY")


def fill_now(conn):
    return datetime.fromisoformat(conn.execute(
        f"SELECT value FROM {fill.INFO_SCHEMA}.info WHERE key = 'now'").fetchone()[0])


def counts(conn):
    return {
        "reminders": conn.execute("SELECT count(*) FROM reminders").fetchone()[0],
        "outbox": conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
        "tokens": conn.execute("SELECT count(*) FROM link_tokens").fetchone()[0],
        "approved": conn.execute(
            "SELECT count(*) FROM ratings WHERE status = 'approved'").fetchone()[0],
        "archived": conn.execute(
            "SELECT count(*) FROM ratings WHERE status = 'archived'").fetchone()[0],
    }


def run_jobs(database_url, moment):
    """The real command in its own process; (seconds, output)."""
    app = f"wdp:create_app({{'TESTING': True, 'SQLALCHEMY_DATABASE_URI': {database_url!r}}})"
    env = {**os.environ, "WDP_NOW": moment.isoformat(), "WDP_BASE_URL": "https://wdp.example",
           "WDP_SECRET_KEY": "bench-secret"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", app, "run-jobs"], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"run-jobs failed:\n{done.stdout}\n{done.stderr[-5000:]}")
    return seconds, done.stdout


def plans(url, moment):
    """Run run_jobs() in this process on a fresh copy, catching each distinct statement it
    sends with its first parameters, and return PostgreSQL's EXPLAIN of each."""
    from sqlalchemy import event

    from wdp import create_app
    from wdp.extensions import db
    from wdp.jobs import run_jobs as run_all
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "WDP_NOW": moment.isoformat(), "WDP_BASE_URL": "https://wdp.example"})
    seen = {}
    with app.app_context():
        def catch(conn, cursor, statement, parameters, context, executemany):
            verb = statement.lstrip().split(None, 1)[0].upper()
            if verb in ("SELECT", "UPDATE", "DELETE", "INSERT") and statement not in seen \
                    and not executemany:
                seen[statement] = parameters
        event.listen(db.engine, "before_cursor_execute", catch)
        run_all()
        event.remove(db.engine, "before_cursor_execute", catch)
        out = []
        with db.engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for statement, parameters in seen.items():
                cursor.execute("EXPLAIN " + statement, parameters)
                # Long IN lists of ids are cut: the plan's shape is what matters.
                out.append((" ".join(statement.split())[:300],
                            [row[0][:240] for row in cursor.fetchall()]))
            conn.rollback()
        db.session.remove()
        db.engine.dispose()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--no-plans", action="store_true",
                        help="skip the second copy that shows the query plans")
    args = parser.parse_args(argv)
    fill.main(["--url", args.url])
    url = make_url(args.url)
    fresh_database(url)
    database_url = url.set(database=DATABASE).render_as_string(hide_password=False)
    with psycopg.connect(fill.libpq(url, DATABASE), autocommit=True) as conn:
        moment = fill_now(conn)
        before = counts(conn)
    print(f"{DATABASE}: {before['approved']:,} approved, run-jobs at the fill's now {moment}")
    first, output = run_jobs(database_url, moment)
    print(f"\nfirst run-jobs: {first:.1f} s\n{output}")
    with psycopg.connect(fill.libpq(url, DATABASE), autocommit=True) as conn:
        after = counts(conn)
    second, output = run_jobs(database_url, moment)
    print(f"second run-jobs (nothing left): {second:.1f} s\n{output}")
    with psycopg.connect(fill.libpq(url, DATABASE), autocommit=True) as conn:
        again = counts(conn)
    due = before["approved"]
    problems = []
    if after["reminders"] - before["reminders"] != due:
        problems.append(f"{after['reminders'] - before['reminders']:,} reminders, not {due:,}")
    if after["outbox"] - before["outbox"] != due:
        problems.append(f"{after['outbox'] - before['outbox']:,} mails, not {due:,}")
    if after["tokens"] - before["tokens"] != 2 * due:
        problems.append(f"{after['tokens'] - before['tokens']:,} tokens, not {2 * due:,}")
    if after["archived"] != before["archived"]:
        problems.append("ratings were archived")
    if again != after:
        problems.append(f"the second run changed something: {after} -> {again}")
    if first >= TARGET_SECONDS:
        problems.append(f"{first:.1f} s is not under {TARGET_SECONDS} s")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if not args.no_plans:
        fresh_database(url)
        for statement, plan in plans(database_url, moment):
            print(f"\n-- {statement}\n" + "\n".join(plan))
    if problems:
        print("MISSED: " + "; ".join(problems))
        return 1
    print(f"OK: {due:,} reminders in {first:.1f} s (target < {TARGET_SECONDS} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
