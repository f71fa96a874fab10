"""Time "Volgende" and the item page in one process: no gunicorn, no other users.

    /work/venv/bin/python bench/profile_inbox.py [--items 40] [--profile item] [--sql item]

bench/inbox.py measures the inbox under load; this shows what each request costs by itself,
as bench/profile_steps.py does for the rating form: the median wall and CPU time in the app
(Flask's test client, the production settings otherwise), the queries, the time PostgreSQL
took, the commits, beside the baseline page measured the same way. --sql PAGE prints one
request's statements with their times, --profile PAGE a pyinstrument profile over all
requests of that page. An editor is created and signed in (password and app code) first.
Works on `wdp_bench` as the last benchmark left it (--fresh copies the template first); each
"Volgende" takes its item out of the queue afterwards, as inbox.py does.
"""
import argparse
import os
import random
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import inbox  # noqa: E402
import journeys  # noqa: E402
import profile_steps  # noqa: E402
import pyotp  # noqa: E402
import run  # noqa: E402

PAGES = ("baseline", "next", "item")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--profile", metavar="PAGE", choices=PAGES)
    parser.add_argument("--sql", metavar="PAGE", choices=PAGES)
    parser.add_argument("--location", type=int, metavar="ID",
                        help="open only waiting ratings of this location (1: the big one)")
    parser.add_argument("--fresh", action="store_true", help="copy the template first")
    args = parser.parse_args(argv)

    url = fill.make_url(args.url)
    fill.main(["--url", args.url])
    if args.fresh or profile_steps.schema_of(url) != fill.migrations_head():
        run.fresh_database(url)
    database_url = url.set(database=run.DATABASE).render_as_string(hide_password=False)
    database = fill.libpq(url, run.DATABASE)
    if args.location:
        with fill.psycopg.connect(database) as conn:
            item_ids = [row[0] for row in conn.execute(
                "SELECT id FROM ratings WHERE status = 'in_moderation' AND location_id = %s "
                "ORDER BY confirmed_at DESC LIMIT 5000", (args.location,))]
        random.Random(1).shuffle(item_ids)
    else:  # the ratings inbox.py opens, in its order
        item_ids, _ = inbox.pick_item_ids(url)
    (email, secret), = inbox.create_editors(database_url, 1,
                                            prefix=f"profiel{time.strftime('%H%M%S')}-")
    from wdp import create_app
    from wdp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WDP_BENCH_BASELINE": True})
    with app.app_context():
        meter = profile_steps.Meter(db.engine)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)
    client = app.test_client()

    def token(page):
        return journeys.CSRF.search(page).group(1)

    page = client.get("/redactie/aanmelden").get_data(as_text=True)
    client.post("/redactie/aanmelden", data={"csrf_token": token(page), "email": email,
                                             "password": inbox.PASSWORD})
    page = client.get("/redactie/code").get_data(as_text=True)
    response = client.post("/redactie/code", data={"csrf_token": token(page),
                                                   "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.status_code
    csrf = token(client.get("/redactie/inbox").get_data(as_text=True))
    times = {}
    show = {"number": None}

    by_statement = {}

    def request(page_name, method, path, data=None, expect=200):
        meter.reset()
        showing = page_name == args.sql and show["number"] == args.items - 1
        meter.statements = [] if page_name == args.sql else None
        profiling = profiler is not None and page_name == args.profile and show["number"] >= 0
        if profiling:
            profiler.start()
        wall, cpu = time.perf_counter(), time.thread_time()
        response = client.open(path, method=method, data=data)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        if profiling:
            profiler.stop()
        if showing:
            print(f"{page_name}: {method} {path}, {len(meter.statements)} statements, "
                  f"{meter.commits} commits:")
            for elapsed, statement in meter.statements:
                print(f"  {elapsed * 1000:7.2f} ms  {statement[:400]}")
        if meter.statements is not None and show["number"] >= 0:
            for elapsed, statement in meter.statements:
                by_statement.setdefault(statement[:150], []).append(elapsed)
        meter.statements = None
        if response.status_code != expect:
            sys.exit(f"{page_name}: {method} {path} answered {response.status_code}")
        if show["number"] >= 0:
            times.setdefault(page_name, []).append(
                (wall, cpu, meter.queries, meter.db_seconds, meter.commits))
        return response

    with fill.psycopg.connect(database, autocommit=True) as conn:
        for number in range(-3, args.items):  # the first three warm up
            show["number"] = number
            request("baseline", "GET", "/_baseline/2")
            response = request("next", "POST", "/redactie/inbox/volgende",
                               {"csrf_token": csrf}, 302)
            claimed = int(inbox.ITEM_PATH.fullmatch(response.headers["Location"]).group(1))
            inbox.take_out_of_queue(conn, claimed)
            request("item", "GET", f"/redactie/inbox/{item_ids[number + 3]}")

    base = median(t[0] for t in times["baseline"])
    print(f"{args.items} requests each in one process (Flask test client), medians:\n")
    print(f"| {'page':<8} | {'wall ms':>7} | {'CPU ms':>6} | {'queries':>7} | "
          f"{'DB ms':>5} | {'commits':>7} | {'wall ÷ base':>11} |")
    print(f"|{'-' * 10}|{'-' * 8}:|{'-' * 7}:|{'-' * 8}:|{'-' * 6}:|{'-' * 8}:|{'-' * 12}:|")
    for name in PAGES:
        rows = times[name]
        wall, cpu, queries, db_seconds, commits = (median(r[i] for r in rows) for i in range(5))
        print(f"| {name:<8} | {wall * 1000:>7.1f} | {cpu * 1000:>6.1f} | {queries:>7.0f} | "
              f"{db_seconds * 1000:>5.1f} | {commits:>7.0f} | {wall / base:>11.2f} |")
    if by_statement:
        print(f"\n{args.sql}: the statements by their total time (ms: total, median, max):")
        for statement, values in sorted(by_statement.items(), key=lambda kv: -sum(kv[1]))[:12]:
            print(f"  {sum(values) * 1000:8.1f} {median(values) * 1000:6.2f} "
                  f"{max(values) * 1000:7.2f}  {len(values):4d}x  {statement[:110]}")
    profile_steps.print_profile(profiler, args.profile, times)


if __name__ == "__main__":
    main()
