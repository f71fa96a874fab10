"""Time the organisation page in one process: no gunicorn, no other users.

    /work/venv/bin/python bench/profile_organisation.py [--requests 60] [--profile PAGE]
        [--sql PAGE]

bench/organisation.py measures the page under load; this shows what each request costs by
itself, as bench/profile_inbox.py does for the inbox: the median wall and CPU time in the app
(Flask's test client, the production settings otherwise), the queries and the time PostgreSQL
took, beside the baseline page measured the same way. --sql PAGE prints one request's
statements with their times, --profile PAGE a pyinstrument profile over all its requests.
Works on ``wdp_bench_org`` as bench/organisation.py left it (run that first).
"""
import argparse
import os
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import journeys  # noqa: E402
import organisation  # noqa: E402
import profile_steps  # noqa: E402

PAGES = ("baseline", "org_page", "org_last_page", "org_no_response", "org_score_2",
         "org_theme_2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--profile", metavar="PAGE", choices=PAGES)
    parser.add_argument("--sql", metavar="PAGE", choices=PAGES)
    args = parser.parse_args(argv)

    url = fill.make_url(args.url)
    fill.ensure_cluster(url)
    database_url = url.set(database=organisation.DATABASE).render_as_string(hide_password=False)
    from wdp import create_app
    from wdp.extensions import db
    from wdp.locations.models import Location
    from wdp.organisations import access
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WDP_BENCH_BASELINE": True})
    with app.app_context():
        meter = profile_steps.Meter(db.engine)
        big = db.session.scalar(db.select(Location.id).where(
            Location.contact_email == organisation.ORG_EMAIL))
        last_location = db.session.scalar(db.select(db.func.max(Location.id)))
        count = db.session.scalar(db.text(
            "SELECT count(*) FROM ratings WHERE location_id = :id"), {"id": big})
        raw = access.issue_link(access.contact_for(organisation.ORG_EMAIL))
        db.session.commit()
    theme = "care_on_time"
    last = -(-count // organisation.PER_PAGE)
    paths = {
        "baseline": f"/_baseline/{last_location}",
        "org_page": "/organisatie/",
        "org_last_page": f"/organisatie/locatie/{big}?pagina={last}",
        "org_no_response": f"/organisatie/locatie/{big}?reactie=geen",
        "org_score_2": f"/organisatie/locatie/{big}?score=2",
        "org_theme_2": f"/organisatie/locatie/{big}?thema={theme}&themascore=2",
    }
    client = app.test_client()
    client.get(f"/organisatie/link/{raw}")
    page = client.get("/organisatie/openen").get_data(as_text=True)
    response = client.post("/organisatie/openen",
                           data={"csrf_token": journeys.CSRF.search(page).group(1)})
    assert response.status_code == 303, response.status_code

    profiler = None
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)
    times = {}
    for number in range(-3, args.requests):  # the first three warm up
        for name, path in paths.items():
            meter.reset()
            showing = name == args.sql and number == args.requests - 1
            meter.statements = [] if showing else None
            profiling = profiler is not None and name == args.profile and number >= 0
            if profiling:
                profiler.start()
            wall, cpu = time.perf_counter(), time.thread_time()
            response = client.get(path)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            if profiling:
                profiler.stop()
            if response.status_code != 200:
                sys.exit(f"{name}: {path} answered {response.status_code}")
            if showing:
                print(f"{name}: {path}, {len(meter.statements)} statements:")
                for elapsed, statement in meter.statements:
                    print(f"  {elapsed * 1000:7.2f} ms  {statement[:300]}")
            meter.statements = None
            if number >= 0:
                times.setdefault(name, []).append((wall, cpu, meter.queries, meter.db_seconds))

    base = median(t[0] for t in times["baseline"])
    base_cpu = median(t[1] for t in times["baseline"])
    print(f"{args.requests} requests each in one process (Flask test client), medians:\n")
    print(f"| {'page':<16} | {'wall ms':>7} | {'CPU ms':>6} | {'queries':>7} | {'DB ms':>5} | "
          f"{'wall ÷ base':>11} | {'CPU ÷ base':>10} |")
    print(f"|{'-' * 18}|{'-' * 8}:|{'-' * 7}:|{'-' * 8}:|{'-' * 6}:|{'-' * 12}:|{'-' * 11}:|")
    for name in PAGES:
        rows = times[name]
        wall, cpu, queries, db_seconds = (median(r[i] for r in rows) for i in range(4))
        print(f"| {name:<16} | {wall * 1000:>7.1f} | {cpu * 1000:>6.1f} | {queries:>7.0f} | "
              f"{db_seconds * 1000:>5.1f} | {wall / base:>11.2f} | {cpu / base_cpu:>10.2f} |")
    profile_steps.print_profile(profiler, args.profile, times)


if __name__ == "__main__":
    main()
