"""Time each step of a rating journey in one process: no gunicorn, no queue, no other users.

    /work/venv/bin/python bench/profile_steps.py [--journeys 40] [--profile "check"]

bench/journeys.py measures the steps under load, where waiting in gunicorn's queue is most of
every request's time. This shows what each step costs by itself: the median wall and CPU time
of the request in the app (Flask's test client, the production settings otherwise), the
queries it sends, the time PostgreSQL took to answer them, and its commits; the baseline page
is measured the same way, interleaved. With --profile STEP it also prints a pyinstrument
profile of that step's requests, added up over all journeys.

It runs on `wdp_bench` as the last benchmark left it (a run adds a few hundred ratings in
moderation, which changes nothing here); --fresh copies the template first, as happens
anyway when the migrations have moved on. The mail is not
sent: the confirmation link is read from the outbox row the submit wrote.
"""
import argparse
import os
import random
import re
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import journeys  # noqa: E402
import run  # noqa: E402

from wdp.rating_form.steps import QUESTION_STEPS  # noqa: E402

LINK = re.compile(r"/bevestig/[A-Za-z0-9_-]+")


class Meter:
    """Queries, database time and commits, added up for the request being measured."""

    def __init__(self, engine):
        from sqlalchemy import event
        self.queries = self.commits = 0
        self.db_seconds = 0.0
        self._started = None
        self.statements = None  # a list while the statements are being kept
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._commit)

    def _before(self, *args):
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.queries += 1
        elapsed = time.perf_counter() - self._started
        self.db_seconds += elapsed
        if self.statements is not None:
            self.statements.append((elapsed, " ".join(statement.split())))

    def _commit(self, *args):
        self.commits += 1

    def reset(self):
        self.queries = self.commits = 0
        self.db_seconds = 0.0


def print_profile(profiler, name, times):
    """The pyinstrument profile of one page over all its measured requests (if profiled)."""
    if profiler is not None:
        print(f"\npyinstrument, {name!r}, {len(times[name])} requests added up:")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def schema_of(url):
    """The migration wdp_bench is at, or None when there is no wdp_bench."""
    with fill.admin_connection(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (run.DATABASE,)).fetchone():
            return None
    with fill.psycopg.connect(fill.libpq(url, run.DATABASE)) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument("--profile", metavar="STEP", help='e.g. "check" or "thema-1 GET"')
    parser.add_argument("--sql", metavar="STEP", help="print the statements of one request")
    parser.add_argument("--location", type=int, metavar="ID",
                        help="every journey on this location (default: a random one each)")
    parser.add_argument("--fresh", action="store_true", help="copy the template first")
    parser.add_argument("--seed", default="profile")
    args = parser.parse_args(argv)

    url = fill.make_url(args.url)
    fill.main(["--url", args.url])  # starts the cluster; fills only if the template is not ready
    if args.fresh or schema_of(url) != fill.migrations_head():
        run.fresh_database(url)
    locations = [(location_id, code, sector)
                 for location_id, code, sector, _ in run.listed_locations(url)]
    from wdp import create_app
    from wdp.extensions import db
    from wdp.mail.models import OutboxMessage
    from wdp.mail.outbox import rendered
    base_url = "http://127.0.0.1:5000"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url.set(database=run.DATABASE).render_as_string(
            hide_password=False),
        "WDP_BENCH_BASELINE": True, "WDP_BASE_URL": base_url,
        "WDP_RATELIMIT_FORM_START": journeys.RATE_LIMIT,
        "WDP_RATELIMIT_FORM_SUBMIT": journeys.RATE_LIMIT})
    with app.app_context():
        meter = Meter(db.engine)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)

    rng = random.Random(args.seed)
    times = {}
    stamp = time.strftime("%H%M%S")

    def request(client, step, method, path, data=None, expect=200):
        meter.reset()
        show_sql = step == args.sql and number == args.journeys - 1
        if show_sql:
            meter.statements = []
        profiling = profiler is not None and step == args.profile
        if profiling:
            profiler.start()
        wall, cpu = time.perf_counter(), time.thread_time()
        response = client.open(path, method=method, data=data)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        if profiling:
            profiler.stop()
        if show_sql:
            print(f"{step}: {method} {path}, {len(meter.statements)} statements, "
                  f"{meter.commits} commits:")
            for elapsed, statement in meter.statements:
                print(f"  {elapsed * 1000:6.2f} ms  {statement[:300]}")
            meter.statements = None
        if response.status_code != expect:
            sys.exit(f"{step}: {method} {path} answered {response.status_code}")
        times.setdefault(step, []).append(
            (wall, cpu, meter.queries, meter.db_seconds, meter.commits))
        return response.get_data(as_text=True)

    def token(page):
        return journeys.CSRF.search(page).group(1)

    number = 0
    for number in range(-2, args.journeys):  # the first two warm up, not counted
        if number == 0:
            times.clear()
            if profiler is not None:
                profiler.reset()
        client = app.test_client()
        location_id, code, sector = (
            next(loc for loc in locations if loc[0] == args.location) if args.location
            else rng.choice(locations))
        address = f"profile-{stamp}-{number + 2}@{journeys.EMAIL_DOMAIN}"
        request(app.test_client(), "baseline", "GET", f"/_baseline/{location_id}")
        page = request(client, "start", "GET", f"/w/{code}")
        request(client, "begin", "POST", f"/w/{code}", {"csrf_token": token(page)}, 302)
        for step in QUESTION_STEPS:
            page = request(client, f"{step} GET", "GET", f"/waardering/{step}")
            request(client, f"{step} POST", "POST", f"/waardering/{step}",
                    {"csrf_token": token(page),
                     **journeys.answer(step, sector, address, rng)}, 302)
        page = request(client, "check", "GET", "/waardering/controle")
        request(client, "submit", "POST", "/waardering/versturen",
                {"csrf_token": token(page)}, 302)
        request(client, "sent", "GET", "/waardering/verstuurd")
        with app.app_context():
            body = rendered(db.session.query(OutboxMessage).filter(
                OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc()).first()).text
        link = LINK.search(body).group()
        page = request(client, "confirm GET", "GET", link)
        request(client, "confirm POST", "POST", link, {"csrf_token": token(page)}, 302)
        request(client, "confirmed", "GET", "/bevestigd")

    base = median(t[0] for t in times["baseline"])
    print(f"{args.journeys} journeys in one process (Flask test client), medians per request:\n")
    print(f"| {'step':<13} | {'wall ms':>7} | {'CPU ms':>6} | {'queries':>7} | "
          f"{'DB ms':>5} | {'commits':>7} | {'wall ÷ base':>11} |")
    print(f"|{'-' * 15}|{'-' * 8}:|{'-' * 7}:|{'-' * 8}:|{'-' * 6}:|{'-' * 8}:|{'-' * 12}:|")
    for step in ["baseline", *journeys.STEP_NAMES]:
        rows = times[step]
        wall, cpu, queries, db_seconds, commits = (median(r[i] for r in rows) for i in range(5))
        print(f"| {step:<13} | {wall * 1000:>7.1f} | {cpu * 1000:>6.1f} | {queries:>7.0f} | "
              f"{db_seconds * 1000:>5.1f} | {commits:>7.0f} | {wall / base:>11.2f} |")
    print_profile(profiler, args.profile, times)


if __name__ == "__main__":
    main()
