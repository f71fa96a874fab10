"""The organisation page of a location with 5,000 published ratings against the baseline page.

    /work/venv/bin/python bench/organisation.py [--duration 10s] [--warmup 2s] [--rounds 2]
        [--ratings 5000] [--others 200] [--workers 2] [--stop]

Issue 7: "the organisation page of a location with 5,000 ratings renders with p95 within 3x
the baseline page's in the same run". What it does, all on loopback:

- the benchmark's own PostgreSQL cluster (fill.py starts it if needed; never the shared dev
  server) and a fresh database ``wdp_bench_org``, built with the migrations and ``seed``;
- a small fill of its own, in SQL: one location with --ratings published ratings (the
  organisation's), --others locations with 250 each around it (so the tables are not just
  that one location), 8 theme answers per rating (10% "don't know", 30% with a text), scores
  skewed towards good as in the pilot, ranks 1..n in publication order, the score counters
  equal to the ratings, and an approved response to every third rating of the big location;
- gunicorn as in run.py (``-c gunicorn.conf.py``, ``WDP_BENCH_BASELINE=1``, 2 workers);
- an organisation session opened through the real link: GET the mailed link (a cookie and a
  redirect), GET the button page, POST its form; wrk then sends that session cookie;
- wrk ``-t2 -c8`` per page: the baseline page (``/_baseline/<id>``) before every other page
  in each round, so each page is compared with the baseline run just before it.

Rows: ``org_page`` is ``/organisatie/`` (the target: page 1 of the big location, with theme
answers and response states), ``org_last_page`` its last page, and three filtered pages
(no response yet; overall score 2; a theme with score 2), shown for what they cost. Every
URL is checked first to be the real page (status 200 and 20 ratings on it, or the count the
database says). Prints the table (mean of the rounds) and per run the ratio to the baseline
run just before it; JSON goes to bench/results/organisation-<time>.json. Exit 1 when
org_page's p95 is more than 3x the baseline's (combined over the rounds).

The machine is shared: compare the ratios of one run, not absolute figures.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import run  # noqa: E402

ROOT = fill.ROOT
DATABASE = "wdp_bench_org"
ORG_EMAIL = "info@groot.bench.example.org"
MAX_P95_RATIO = 3.0
from wdp.organisations.queries import PER_PAGE  # noqa: E402  (the page size measured)


def build_database(url, ratings, others):
    """A fresh database with the schema, the reference data and the fill below."""
    with fill.admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    database_url = url.set(database=DATABASE).render_as_string(hide_password=False)
    from flask_migrate import upgrade

    from wdp import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        from wdp.extensions import db
        from wdp.sectors.operations import seed_reference_data
        seed_reference_data()
        db.session.commit()
        started = time.perf_counter()
        info = _fill(db, ratings, others)
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        print(f"fill: {ratings:,} + {others * 250:,} published ratings with 8 answers each "
              f"in {time.perf_counter() - started:.1f} s")
        db.engine.dispose()
    return database_url, info


def _fill(db, ratings, others):
    from datetime import date

    from sqlalchemy import insert, select

    from wdp.locations.models import Location, Organisation, Participation
    from wdp.sectors.models import Sector, Theme
    sector = db.session.scalar(select(Sector).where(Sector.slug == "ouderenzorg"))
    organisation = Organisation(name="Zorggroep Bench")
    db.session.add(organisation)
    db.session.flush()
    rows = [{"sector_id": sector.id, "kind_id": sector.kinds[0].id,
             "organisation_id": organisation.id,
             "name": "Woonzorgcentrum De Grote Linde" if n == 0 else f"Woonzorgcentrum {n}",
             "postcode": "9000", "municipality": "Gent",
             "contact_email": ORG_EMAIL if n == 0 else f"locatie{n}@bench.example.org",
             "register_source": "bench", "register_id": f"ORG{n}", "register_status": "actief",
             "code": f"org{n:05d}"} for n in range(others + 1)]
    db.session.execute(insert(Location), rows)
    ids = db.session.scalars(select(Location.id).where(Location.register_source == "bench")
                             .order_by(Location.id)).all()
    db.session.execute(insert(Participation), [
        {"location_id": i, "signed_on": date(2024, 1, 1)} for i in ids])
    big = ids[0]
    themes = db.session.scalars(select(Theme.id).where(
        Theme.sector_id == sector.id, Theme.is_current.is_(True))).all()
    sql = db.text
    # Ratings: the big location first, then 250 per other location; published over 3 years.
    db.session.execute(sql("""
        INSERT INTO ratings (location_id, status, role, language, overall_score,
                             experience_text, reference, created_at, submitted_at, confirmed_at,
                             published_at, status_changed_at, decided_at, publication_policy)
        SELECT loc, 'published',
               (ARRAY['self','family','supporter','representative'])[1 + n % 4], 'nl',
               (ARRAY[5,5,5,5,4,4,4,3,2,1])[1 + (n * 7) % 10],
               'Waardering ' || n || '. ' || repeat('Het personeel is vriendelijk en de '
                   || 'kamers zijn proper. ', 1 + n % 4),
               'W-B' || lpad(to_hex(n), 8, '0'), t, t, t, t, t, t, 'opt_in'
        FROM (SELECT n, CASE WHEN n <= :big_count THEN :big
                             ELSE (:first_other + (n - :big_count - 1) / 250) END AS loc,
                     TIMESTAMP '2023-11-01' + (n * INTERVAL '17 minutes') AS t
              FROM generate_series(1, :total) AS n) AS g
        """), {"big_count": ratings, "big": big, "first_other": ids[1] if others else big,
               "total": ratings + others * 250})
    db.session.execute(sql("""
        UPDATE ratings SET publication_rank = r.rank
        FROM (SELECT id, row_number() OVER (PARTITION BY location_id
                                            ORDER BY published_at, id) AS rank
              FROM ratings) AS r
        WHERE ratings.id = r.id
        """))
    db.session.execute(sql("""
        INSERT INTO rating_answers (rating_id, theme_id, score, text)
        SELECT r.id, t.theme_id,
               CASE WHEN (r.id + t.position) % 10 = 0 THEN NULL
                    ELSE 1 + (r.id * 3 + t.position) % 5 END,
               CASE WHEN (r.id + t.position) % 10 < 3 THEN 'Over dit thema: het gaat goed.'
                    ELSE '' END
        FROM ratings AS r
        CROSS JOIN (SELECT theme_id, position
                    FROM unnest(CAST(:themes AS integer[])) WITH ORDINALITY
                         AS u(theme_id, position)) AS t
        ORDER BY r.id, t.position
        """), {"themes": list(themes)})
    db.session.execute(sql("""
        INSERT INTO responses (rating_id, status, text, created_at, submitted_at, approved_at,
                               status_changed_at, decided_at)
        SELECT id, 'approved', 'Bedankt voor je waardering. Kom gerust eens langs.',
               published_at, published_at, published_at, published_at, published_at
        FROM ratings WHERE location_id = :big AND id % 3 = 0
        """), {"big": big})
    for score in range(1, 6):
        db.session.execute(sql(f"""
            UPDATE locations SET score_{score}_count = c.n
            FROM (SELECT location_id, count(*) AS n FROM ratings
                  WHERE overall_score = {score} GROUP BY location_id) AS c
            WHERE locations.id = c.location_id
            """))
    counts = dict(db.session.execute(sql("""
        SELECT 'no_response', count(*) FROM ratings r
        WHERE r.location_id = :big AND NOT EXISTS (SELECT 1 FROM responses s
                                                   WHERE s.rating_id = r.id)
        UNION ALL SELECT 'score_2', count(*) FROM ratings
        WHERE location_id = :big AND overall_score = 2
        UNION ALL SELECT 'theme_2', count(*) FROM ratings r
        WHERE r.location_id = :big AND EXISTS (SELECT 1 FROM rating_answers a
            WHERE a.rating_id = r.id AND a.theme_id = :theme AND a.score = 2)
        """), {"big": big, "theme": themes[0]}).all())
    theme_key = db.session.scalar(select(Theme.key).where(Theme.id == themes[0]))
    return {"big_location": big, "baseline_location": ids[-1], "theme_key": theme_key,
            "counts": counts, "ratings": ratings}


def open_session(base):
    """The organisation's session cookie, through the mailed link, its page and its button."""
    from wdp import create_app
    from wdp.extensions import db
    from wdp.organisations import access
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["WDP_BENCH_ORG_DB"]})
    with app.app_context():
        raw = access.issue_link(access.contact_for(ORG_EMAIL))
        db.session.commit()
        db.engine.dispose()
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/organisatie/link/{raw}", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token}).encode()
    home = opener.open(f"{base}/organisatie/openen", data=data, timeout=10)
    assert home.geturl().endswith("/organisatie/"), home.geturl()
    session = next(c for c in jar if c.name == "session")
    return f"session={session.value}"


def check(base, cookie, name, path, expected):
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode()
        status = response.status
    found = body.count('<li class="rating">')
    if status != 200 or found != expected:
        sys.exit(f"{name} ({path}) is not the page to measure: status {status}, "
                 f"{found} ratings on it, expected {expected}")


def wrk(base, path, args, duration, script, cookie=None):
    """run.wrk with the session cookie as a header."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}",
               "--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(base + path)
    import subprocess
    seconds = int(duration.rstrip("s"))
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("WDP_RESULT "))
    result = json.loads(line.removeprefix("WDP_RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    if result["errors"] or result["bad_status"]:
        sys.exit(f"wrk saw {result['errors']} socket errors and {result['bad_status']} "
                 f"error responses on {path}:\n{output}")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--warmup", default="2s")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--ratings", type=int, default=5000)
    parser.add_argument("--others", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stop", action="store_true", help="stop the cluster afterwards")
    args = parser.parse_args(argv)
    for duration in (args.duration, args.warmup):
        if not re.fullmatch(r"\d+s?", duration) or int(duration.rstrip("s")) > 600:
            parser.error("durations are whole seconds, at most 600")
    url = fill.make_url(args.url)
    fill.ensure_cluster(url)
    database_url, info = build_database(url, args.ratings, args.others)
    os.environ["WDP_BENCH_ORG_DB"] = database_url
    big, counts = info["big_location"], info["counts"]
    last = -(-args.ratings // PER_PAGE)
    pages = {
        "baseline": (f"/_baseline/{info['baseline_location']}", None),
        "org_page": ("/organisatie/", PER_PAGE),
        "org_last_page": (f"/organisatie/locatie/{big}?pagina={last}",
                          args.ratings - (last - 1) * PER_PAGE),
        "org_no_response": (f"/organisatie/locatie/{big}?reactie=geen",
                            min(PER_PAGE, counts["no_response"])),
        "org_score_2": (f"/organisatie/locatie/{big}?score=2", min(PER_PAGE, counts["score_2"])),
        "org_theme_2": (f"/organisatie/locatie/{big}?thema={info['theme_key']}&themascore=2",
                        min(PER_PAGE, counts["theme_2"])),
    }
    port = run.free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="wdp-bench-org-", suffix=".log", delete=False)
    server = run.start_gunicorn(database_url, port, args.workers, log,
                                extra_env={"WDP_BASE_URL": base})
    results = {name: [] for name in pages}
    ratios = {name: [] for name in pages if name != "baseline"}
    try:
        run.wait_until_up(base, pages["baseline"][0], server)
        cookie = open_session(base)
        for name, (path, expected) in pages.items():
            if expected is not None:
                check(base, cookie, name, path, expected)
        script = Path(tempfile.mkdtemp(prefix="wdp-bench-org-")) / "report.lua"
        script.write_text(run.WRK_REPORT)
        for path, _expected in pages.values():
            wrk(base, path, args, args.warmup, str(script), cookie)
        loads = [os.getloadavg()[0]]
        for round_number in range(args.rounds):
            for name, (path, _expected) in pages.items():
                if name == "baseline":
                    continue
                base_run = wrk(base, pages["baseline"][0], args, args.duration, str(script))
                page_run = wrk(base, path, args, args.duration, str(script), cookie)
                results["baseline"].append(base_run)
                results[name].append(page_run)
                ratios[name].append((page_run["p50_us"] / base_run["p50_us"],
                                     page_run["p95_us"] / base_run["p95_us"]))
                print(f"round {round_number + 1} {name:<16} p50 {page_run['p50_us'] / 1000:6.1f} "
                      f"ms p95 {page_run['p95_us'] / 1000:6.1f} ms | baseline just before "
                      f"p50 {base_run['p50_us'] / 1000:5.1f} ms p95 "
                      f"{base_run['p95_us'] / 1000:5.1f} ms | ratio p50 "
                      f"{ratios[name][-1][0]:.2f} p95 {ratios[name][-1][1]:.2f}", flush=True)
            loads.append(os.getloadavg()[0])
    finally:
        run.stop_process(server)
        if args.stop:
            fill.stop_cluster()
    combined = {name: run.combine(runs) for name, runs in results.items()}
    base_figures = combined["baseline"]
    lines = [f"| {'page':<16} | {'URL':<46} | {'req/s':>6} | {'p50 ms':>6} | {'p95 ms':>6} | "
             f"{'p50 ÷ base':>10} | {'p95 ÷ base':>10} | {'p95 ÷ base per run':>18} |",
             f"|{'-' * 18}|{'-' * 48}|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 11}:|"
             f"{'-' * 11}:|{'-' * 19}:|"]
    for name, figures in combined.items():
        per_run = ", ".join(f"{p95:.2f}" for _p50, p95 in ratios.get(name, []))
        lines.append(
            f"| {name:<16} | {pages[name][0]:<46} | {figures['rps']:>6.0f} | "
            f"{figures['p50_us'] / 1000:>6.1f} | {figures['p95_us'] / 1000:>6.1f} | "
            f"{figures['p50_us'] / base_figures['p50_us']:>10.2f} | "
            f"{figures['p95_us'] / base_figures['p95_us']:>10.2f} | {per_run:>18} |")
    print("\n".join(lines))
    print(f"load average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f} on "
          f"{os.cpu_count()} CPUs")
    ratio = combined["org_page"]["p95_us"] / base_figures["p95_us"]
    print(f"target: org_page p95 <= {MAX_P95_RATIO}x baseline p95: {ratio:.2f}x "
          f"{'held' if ratio <= MAX_P95_RATIO else 'MISSED'}")
    run.RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = run.RESULTS / f"organisation-{stamp}.json"
    out.write_text(json.dumps({"args": vars(args), "info": info, "pages": pages,
                               "runs": results, "combined": combined, "ratios": ratios,
                               "loads": loads}, indent=2, default=str))
    print(f"results: {out}")
    return 0 if ratio <= MAX_P95_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
