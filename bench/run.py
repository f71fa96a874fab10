"""Measure the public pages against the baseline page with wrk, on 1,000,000 ratings.

    /work/venv/bin/python bench/run.py [--duration 15s] [--connections 8] [--stop]

Starts (or reuses) the benchmark cluster and the template (bench/fill.py), copies the
template to a fresh `wdp_bench`, starts gunicorn on loopback with the baseline page switched
on, warms every page up and runs wrk against each page: one round in order, then a second
round with the baseline run again before every other page. Prints the table, writes it to
bench/results/<time>.json and exits with status 1 when a target is missed:
  - the location page serves at least 50% of the baseline page's requests per second;
  - the p95 latency of the location page and of the last ratings page of the 50,000-rating
    location is at most twice the baseline page's.
The row `location_cold` is shown beside them but is not a target: its requests rotate over
5,000 different listed locations (a wrk Lua `request()`), so nearly every one misses the
per-worker cache of rendered location pages (wdp/locations/page_cache.py) that the single-URL
location rows hit after their first request.
"""
import argparse
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402

ROOT = fill.ROOT
RESULTS = ROOT / "bench" / "results"
DATABASE = "wdp_bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"
#: the common word and the municipality of the two searches (see fill.NAME_WORDS)
SEARCH_WORD = "zon"
SEARCH_MUNICIPALITY = "antwerpen"
MIN_THROUGHPUT_RATIO = 0.5
MAX_P95_RATIO = 2.0
#: how many different listed locations the location_cold row rotates over
COLD_LOCATIONS = 5000
#: cold-row locations checked to be real pages first, and then left out of the rotation
COLD_CHECKED = 5

#: wrk's own summary rounds percentiles; this prints them exactly, in microseconds
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WDP_RESULT {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, " ..
    "\\"p50_us\\": %.0f, \\"p90_us\\": %.0f, \\"p95_us\\": %.0f, \\"p99_us\\": %.0f, " ..
    "\\"mean_us\\": %.1f, \\"max_us\\": %.0f, \\"errors\\": %d, \\"bad_status\\": %d}\\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
  if wdp_extra then io.write("WDP_EXTRA " .. wdp_extra() .. "\\n") end
end
"""

#: location_cold: thread t of T asks for paths[offset + t + k*T], k = 0, 1, ..., so no two
#: requests of one run ask for the same location; the offset (the first script argument)
#: moves on after every run (see main()), so the next run does not either. done() reports
#: the most requests one thread made, which is how far the next offset must move.
WRK_COLD = r"""
paths = {PATHS}
counter = 0
index = 0
offset = 0
stride = 1
local threads = {}
setup = function(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end
init = function(args)
  offset = tonumber(args[1]) or 0
  stride = tonumber(args[2]) or 1
end
request = function()
  local i = (offset + index + counter * stride) % #paths
  counter = counter + 1
  return wrk.format("GET", paths[i + 1])
end
wdp_extra = function()
  local most = 0
  for _, thread in ipairs(threads) do
    local n = thread:get("counter")
    if n > most then most = n end
  end
  return string.format("{\"most_per_thread\": %d, \"threads\": %d}", most, #threads)
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(url):
    """A new wdp_bench copied from the template, so no run sees another run's changes."""
    started = time.perf_counter()
    with fill.admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        # FILE_COPY copies the files after one checkpoint; the default (WAL_LOG) would write
        # the whole database to the WAL on every run.
        conn.execute(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{fill.TEMPLATE}" '
                     "STRATEGY FILE_COPY")
    print(f"fresh {DATABASE} from {fill.TEMPLATE}: {time.perf_counter() - started:.1f} s")


def pick_pages(url, per_page):
    """The locations measured: a typical one (~100 ratings) and the biggest one."""
    with fill.psycopg.connect(fill.libpq(url, DATABASE)) as conn:
        published = ("l.score_1_count + l.score_2_count + l.score_3_count + l.score_4_count "
                     "+ l.score_5_count")
        typical_id, typical_count, typical_sector = conn.execute(
            f"SELECT l.id, {published}, s.slug FROM locations l JOIN sectors s "
            f"ON s.id = l.sector_id WHERE s.slug = 'ouderenzorg' "
            f"ORDER BY abs({published} - 100), l.id LIMIT 1").fetchone()
        big_id, big_count, big_sector = conn.execute(
            f"SELECT l.id, {published}, s.slug FROM locations l JOIN sectors s "
            f"ON s.id = l.sector_id ORDER BY {published} DESC, l.id LIMIT 1").fetchone()
        published_total = conn.execute(
            "SELECT count(*) FROM ratings WHERE status = 'published'").fetchone()[0]
        locations_total = conn.execute("SELECT count(*) FROM locations").fetchone()[0]
    last_page = -(-big_count // per_page)
    last_page_items = big_count - (last_page - 1) * per_page
    pages = {
        "baseline": (f"/_baseline/{typical_id}", None),
        "location": (f"/{typical_sector}/locatie/{typical_id}", min(per_page, typical_count)),
        "last_page": (f"/{big_sector}/locatie/{big_id}?pagina={last_page}", last_page_items),
        "first_page": (f"/{big_sector}/locatie/{big_id}", per_page),
        "search": (f"/ouderenzorg/zoeken?q={SEARCH_WORD}", None),
        "search_municipality": (
            f"/ouderenzorg/zoeken?q={SEARCH_WORD}+{SEARCH_MUNICIPALITY}", None),
    }
    data = {"locations": locations_total, "published_ratings": published_total,
            "typical_location": {"id": typical_id, "published": typical_count},
            "big_location": {"id": big_id, "published": big_count, "last_page": last_page}}
    return pages, data


#: listed as the app lists them (wdp.locations.models.is_listed)
LISTED = """l.in_register AND l.register_status = 'actief' AND EXISTS (
    SELECT 1 FROM participations p WHERE p.location_id = l.id AND p.signed_on <= current_date
    AND (p.ended_on IS NULL OR p.ended_on > current_date))"""


def listed_locations(url):
    """(id, code, sector slug, published ratings) of every listed location, by id."""
    published = ("l.score_1_count + l.score_2_count + l.score_3_count + l.score_4_count "
                 "+ l.score_5_count")
    with fill.psycopg.connect(fill.libpq(url, DATABASE)) as conn:
        return conn.execute(
            f"SELECT l.id, l.code, s.slug, {published} FROM locations l "
            f"JOIN sectors s ON s.id = l.sector_id WHERE {LISTED} ORDER BY l.id").fetchall()


def pick_cold(url, per_page, exclude, count=COLD_LOCATIONS, seed=20261123):
    """The location_cold row: `count` listed locations in a fixed random order, plus a few
    others to check first. All sectors: ouderenzorg alone has about 3,000 locations, and a
    rotation shorter than the workers' caches together (2 x WDP_PAGE_CACHE_SIZE = 4,000)
    would come back to pages still cached."""
    rows = [row for row in listed_locations(url) if row[0] not in exclude]
    random.Random(seed).shuffle(rows)
    if len(rows) < count + COLD_CHECKED:
        sys.exit(f"only {len(rows)} listed locations for a rotation of {count}")
    checked, rotation = rows[:COLD_CHECKED], rows[COLD_CHECKED:COLD_CHECKED + count]
    paths = [f"/{slug}/locatie/{location_id}" for location_id, _, slug, _ in rotation]
    checks = [(f"/{slug}/locatie/{location_id}", min(per_page, published))
              for location_id, _, slug, published in checked]
    sectors = {}
    for _, _, slug, _ in rotation:
        sectors[slug] = sectors.get(slug, 0) + 1
    published = sorted(row[3] for row in rotation)
    data = {"locations": len(rotation), "sectors": sectors,
            "published_ratings_mean": mean(published),
            "published_ratings_median": published[len(published) // 2],
            "published_ratings_max": published[-1]}
    return paths, checks, data


def start_gunicorn(database_url, port, workers, log, extra_env=None, extra_args=()):
    # PYTHONPATH: this checkout's app, whichever checkout the venv was installed from.
    env = dict(os.environ, WDP_DATABASE_URL=database_url, WDP_BENCH_BASELINE="1",
               WDP_SECRET_KEY=secrets.token_urlsafe(32), PYTHONPATH=str(ROOT))
    env.update(extra_env or {})
    command = [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra_args]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        # The production settings (its access log too); -w and -b above take precedence.
        command += ["-c", str(config)]
    return subprocess.Popen(
        [*command, "wdp:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_process(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def get(base, path, timeout=10):
    with urllib.request.urlopen(base + path, timeout=timeout) as response:
        return response.status, response.read().decode()


def wait_until_up(base, path, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting: see its log above")
        try:
            get(base, path, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within {timeout} s")


def check_page(base, name, path, expected_ratings):
    """Each measured URL must be the real page, not an error page that happens to be fast."""
    status, body = get(base, path)
    problems = []
    if status != 200:
        problems.append(f"status {status}")
    if expected_ratings is not None:
        found = body.count('<li class="rating">')
        if found != expected_ratings:
            problems.append(f"{found} ratings on the page, expected {expected_ratings}")
    if name.startswith("search") and 'class="location-card"' not in body:
        problems.append("no search results")
    if problems:
        sys.exit(f"{name} ({path}) is not the page to measure: {', '.join(problems)}")


def wrk(base, path, args, duration, script, script_args=()):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}",
               "--timeout", "10s", "-s", script, base + path]
    if script_args:
        command += ["--", *map(str, script_args)]
    seconds = int(re.fullmatch(r"(\d+)s?", duration).group(1))
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("WDP_RESULT "))
    result = json.loads(line.removeprefix("WDP_RESULT "))
    for line in output.splitlines():
        if line.startswith("WDP_EXTRA "):
            result.update(json.loads(line.removeprefix("WDP_EXTRA ")))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    if result["errors"] or result["bad_status"]:
        sys.exit(f"wrk saw {result['errors']} socket errors and {result['bad_status']} "
                 f"error responses on {path}:\n{output}")
    return result


def combine(runs):
    """Mean of the runs of one page: requests/s and each latency percentile."""
    return {key: mean(run[key] for run in runs)
            for key in ("rps", "p50_us", "p90_us", "p95_us", "p99_us", "mean_us")}


def table(pages, combined):
    base = combined["baseline"]
    lines = [f"| {'page':<20} | {'URL':<38} | {'req/s':>6} | {'p50 ms':>6} | {'p95 ms':>6} | "
             f"{'p99 ms':>6} | {'req/s ÷ base':>12} | {'p95 ÷ base':>10} |",
             f"|{'-' * 22}|{'-' * 40}|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|"
             f"{'-' * 13}:|{'-' * 11}:|"]
    for name, figures in combined.items():
        lines.append(
            f"| {name:<20} | {pages[name][0]:<38} | {figures['rps']:>6.0f} | "
            f"{figures['p50_us'] / 1000:>6.1f} | {figures['p95_us'] / 1000:>6.1f} | "
            f"{figures['p99_us'] / 1000:>6.1f} | {figures['rps'] / base['rps']:>12.2f} | "
            f"{figures['p95_us'] / base['p95_us']:>10.2f} |")
    return "\n".join(lines)


def check_targets(combined):
    base = combined["baseline"]
    targets = {
        "location page req/s >= 50% of baseline":
            combined["location"]["rps"] / base["rps"] >= MIN_THROUGHPUT_RATIO,
        "location page p95 <= 2x baseline":
            combined["location"]["p95_us"] / base["p95_us"] <= MAX_P95_RATIO,
        "last ratings page p95 <= 2x baseline":
            combined["last_page"]["p95_us"] / base["p95_us"] <= MAX_P95_RATIO,
    }
    return targets


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--duration", default="15s", help="wrk -d per page and round")
    parser.add_argument("--warmup", default="3s", help="wrk -d per page before measuring")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn -w")
    parser.add_argument("--stop", action="store_true", help="stop the cluster afterwards")
    args = parser.parse_args(argv)
    for duration in (args.duration, args.warmup):
        if not re.fullmatch(r"\d+s?", duration) or int(duration.rstrip("s")) > 600:
            parser.error("durations are whole seconds, at most 600")

    from wdp.config import from_environment
    per_page = from_environment(str(ROOT / "instance"))["WDP_RATINGS_PER_PAGE"]
    url = fill.make_url(args.url)
    fill.main(["--url", args.url])  # starts the cluster; fills only if the template is not ready
    fresh_database(url)
    pages, data = pick_pages(url, per_page)
    cold_paths, cold_checks, data["location_cold"] = pick_cold(
        url, per_page, {data["typical_location"]["id"], data["big_location"]["id"]})
    # Beside the location row; not a page of its own but a rotation (see WRK_COLD).
    pages = {name: value for key, value in pages.items()
             for name, value in [(key, value)] + (
                 [("location_cold", (f"/*/locatie/<{len(cold_paths):,} ids rotating>", None))]
                 if key == "location" else [])}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database_url = url.set(database=DATABASE).render_as_string(hide_password=False)

    with tempfile.TemporaryDirectory(prefix="wdp-bench-") as scratch:
        script = str(Path(scratch) / "report.lua")
        Path(script).write_text(WRK_REPORT)
        cold_script = str(Path(scratch) / "cold.lua")
        Path(cold_script).write_text(WRK_COLD.replace(
            "PATHS", ", ".join(f'"{path}"' for path in cold_paths)) + WRK_REPORT)
        cold = {"position": 0, "requested": 0}

        def measure(name, duration):
            if name != "location_cold":
                return wrk(base, pages[name][0], args, duration, script)
            result = wrk(base, cold_paths[0], args, duration, cold_script,
                         (cold["position"], args.threads))
            # How far the fastest thread got: the next run starts after it.
            used = result["most_per_thread"] * result["threads"]
            result["rotation_start"] = cold["position"]
            cold["position"] = (cold["position"] + used) % len(cold_paths)
            cold["requested"] += used
            return result

        log = open(Path(scratch) / "gunicorn.log", "w+")
        gunicorn = start_gunicorn(database_url, port, args.workers, log)
        try:
            wait_until_up(base, pages["baseline"][0], gunicorn)
            for name, (path, expected) in pages.items():
                if name == "location_cold":
                    for path, expected in cold_checks:  # not in the rotation
                        check_page(base, name, path, expected)
                else:
                    check_page(base, name, path, expected)
            print(f"gunicorn -w {args.workers} on {base}; warming up {len(pages)} pages "
                  f"for {args.warmup} each")
            for name in pages:
                measure(name, args.warmup)
            others = [name for name in pages if name != "baseline"]
            schedule = [(1, name) for name in pages]
            schedule += [(2, name) for other in others for name in ("baseline", other)]
            print(f"measuring: {len(schedule)} runs of wrk -t{args.threads} "
                  f"-c{args.connections} -d{args.duration}")
            runs = []
            load_before = os.getloadavg()[0]
            for round_number, name in schedule:
                result = measure(name, args.duration)
                paired = ""
                if name == "baseline":
                    previous_baseline = result
                else:
                    # Against the baseline run just before: the ratio least moved by noise.
                    result["rps_ratio_to_previous_baseline"] = (
                        result["rps"] / previous_baseline["rps"])
                    result["p95_ratio_to_previous_baseline"] = (
                        result["p95_us"] / previous_baseline["p95_us"])
                    paired = (f"   ÷ baseline before: req/s "
                              f"{result['rps_ratio_to_previous_baseline']:.2f}, p95 "
                              f"{result['p95_ratio_to_previous_baseline']:.2f}")
                runs.append({"round": round_number, "page": name, **result})
                print(f"  round {round_number} {name:<20} {result['rps']:7.0f} req/s   "
                      f"p50 {result['p50_us'] / 1000:6.1f} ms   "
                      f"p95 {result['p95_us'] / 1000:6.1f} ms   "
                      f"p99 {result['p99_us'] / 1000:6.1f} ms{paired}", flush=True)
            load_after = os.getloadavg()[0]
            data["location_cold"]["requested"] = cold["requested"]
            if cold["requested"] > len(cold_paths):
                print(f"  location_cold went round its {len(cold_paths):,} locations "
                      f"({cold['requested']:,} requests): a location comes back only after "
                      f"all the others, still a miss as long as {len(cold_paths):,} / "
                      f"{args.workers} workers > WDP_PAGE_CACHE_SIZE")
        finally:
            stop_process(gunicorn)
            log.seek(0)
            errors = [line for line in log if "Traceback" in line or "ERROR" in line]
            log.close()
            if args.stop and fill.manages_cluster(url):
                fill.stop_cluster()
    if errors:
        sys.exit("gunicorn logged errors during the run:\n" + "".join(errors[:20]))

    combined = {name: combine([r for r in runs if r["page"] == name]) for name in pages}
    targets = check_targets(combined)
    print()
    print(table(pages, combined))
    print()
    for target, held in targets.items():
        print(f"  {'holds ' if held else 'MISSED'}  {target}")
    cpus = os.cpu_count()
    print(f"\n  load average (1 min) {load_before:.1f} before, {load_after:.1f} after, "
          f"on {cpus} CPUs")
    if max(load_before, load_after) > cpus:
        print("  other work competed for the CPUs: absolute figures are low and the ratios "
              "noisy; the per-run ratios above show how much")

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                             text=True).stdout.splitlines()
    result_file = RESULTS / f"{stamp}.json"
    result_file.write_text(json.dumps({
        "time": stamp, "commit": commit, "uncommitted_changes": len(changed),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_before": load_before, "load_average_after": load_after},
        "settings": {"wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}",
                     "warmup": args.warmup, "gunicorn_workers": args.workers,
                     "ratings_per_page": per_page},
        "data": data, "pages": {name: path for name, (path, _) in pages.items()},
        "runs": runs, "combined": combined, "targets": targets,
        "table": table(pages, combined)}, indent=2) + "\n")
    print(f"\nwritten to {result_file.relative_to(ROOT)}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
