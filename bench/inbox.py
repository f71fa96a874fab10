"""The editors' inbox against gunicorn on 1,000,000 ratings, 100,000 waiting: "Volgende" and the
item page beside the baseline page.

    /work/venv/bin/python bench/inbox.py [--editors 8] [--duration 15] [--rounds 2]
        [--flow 15] [--sql "CREATE INDEX ..."] [--stop]

Issue 5 ("Speed"): with 1,000,000 ratings of which 100,000 wait in moderation, "Volgende" and
the item page each have a p95 within 3x the baseline page's p95 in the same run.

What runs, all on loopback:
- the benchmark cluster and a fresh `wdp_bench` copied from the template (bench/fill.py makes
  the 100,000 waiting ratings, bench/run.py copies it); `--sql` runs statements in it first
  (an index to try, say), and they are recorded in the result;
- editors created through the app's own code (wdp.editors.operations: create_editor,
  set_password, start_enrolment), each with its own password and authenticator key;
- gunicorn as in run.py (-c gunicorn.conf.py, the production settings, WDP_BENCH_BASELINE=1),
  its access log with the request time (%(D)s) appended;
- each editor signs in over HTTP as a person does (password, then the app code of the moment
  from pyotp; every editor has its own key, so no code is used twice) and keeps its own
  cookies; the load generator is this process, one thread per editor, a new connection per
  request (gunicorn's sync workers close every connection anyway).

Measured, each on its own, with --editors concurrent clients (8, like run.py's wrk -c8), for
--duration seconds, in rounds: round 1 in order, then the baseline again before every other
page (so each page also gets a ratio to the baseline run just before it):
- baseline: GET /_baseline/<id> (run.py's baseline page), by the same clients;
- next: POST /redactie/inbox/volgende with the session's CSRF token, as the overview's button
  sends it: claims the oldest free rating and redirects to it (302, not followed). Each call
  must take a new item: an editor who presses "Volgende" again gets the item they already
  hold (tests/moderation/test_inbox.py), and in real work the item leaves the queue by a
  decision. So after each call the client takes the claimed rating out of the queue itself,
  outside the app and untimed: one UPDATE by primary key (status 'approved', reservation
  cleared), what a decision does to the queue's rows. The next call then claims a new item.
- item: GET /redactie/inbox/<id> of ratings waiting in moderation, a different one each
  request (the newest 50,000 of the queue in a fixed random order, never claimed here), so
  it includes the big location's items (about 4% of the queue) and its flags' queries.
- flow (not a target, `--flow 0` leaves it out): the real work with the real decision: press
  "Volgende", open the item, approve it (POST of the item's decision form: approve, then
  claim the next item, redirect to it), open that, approve it... timed per request.
Every response is checked (status, redirect target, the item's heading); any other answer
stops the run. Prints the table (mean of each page's runs), writes
bench/results/inbox-<time>.json and exits 1 when a target is missed (2 when something failed).
"""
import argparse
import http.client
import itertools
import json
import os
import platform
import random
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from urllib.parse import urlencode, urlsplit

import pyotp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fill  # noqa: E402
import journeys  # noqa: E402
import run  # noqa: E402

ROOT = fill.ROOT
MAX_P95_RATIO = 3.0
PASSWORD = "bench paard batterij nietje"
USER_AGENT = "wdp-bench-inbox"
ITEM_PATH = re.compile(r"/redactie/inbox/(\d+)")
HEADING = re.compile(r"<h1[^>]*>\s*Waardering (W-[0-9A-Z]+)\s*</h1>")
PAGES = {
    "baseline": "GET /_baseline/<id>",
    "next": "POST /redactie/inbox/volgende",
    "item": "GET /redactie/inbox/<id>",
}
FLOW = {
    "flow_next": "POST /redactie/inbox/volgende",
    "flow_item": "GET /redactie/inbox/<id>",
    "flow_approve": "POST /redactie/inbox/<id> (approve)",
}


class Failure(Exception):
    pass


class Client:
    """One editor's browser: its own cookies; every request is timed into `samples`."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.cookies = {}
        self.samples = []  # (page, seconds, status)

    def request(self, page, method, path, form=None, expect=200):
        headers = {"User-Agent": USER_AGENT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except OSError as error:
            raise Failure(f"{method} {path}: {type(error).__name__}: {error}") from None
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            value = rest.split(";")[0]
            if value == "" or "max-age=0" in rest.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        text = content.decode(errors="replace")
        if response.status != expect:
            raise Failure(f"{method} {path}: status {response.status}, expected {expect}: "
                          f"{text[:300]}")
        if page:
            self.samples.append((page, elapsed, response.status))
        location = urlsplit(response.getheader("Location") or "").path
        return text, location


def csrf(page, text):
    match = journeys.CSRF.search(text)
    if match is None:
        raise Failure(f"{page}: no csrf_token on the page")
    return match.group(1)


def create_editors(database_url, count, prefix="redacteur"):
    """Editors with a password and an enrolled authenticator key, through the app's code."""
    from wdp import create_app
    from wdp.clock import now
    from wdp.editors import operations as ops
    from wdp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    accounts = []
    with app.app_context():
        for n in range(1, count + 1):
            email = f"{prefix}{n}@bench.example.org"
            editor = ops.create_editor(f"Redacteur {n}", email, "editor")
            ops.set_password(editor, PASSWORD)
            ops.start_enrolment(editor)
            # What confirm_enrolment() does, without using up a code the sign-in then needs.
            editor.enrolled_at = now()
            accounts.append((email, editor.totp_secret))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return accounts


def sign_in(client, email, secret):
    """Password, then the code the authenticator shows now; the inbox's CSRF token."""
    text, _ = client.request(None, "GET", "/redactie/aanmelden")
    _, target = client.request(None, "POST", "/redactie/aanmelden", expect=302, form={
        "csrf_token": csrf("sign-in", text), "email": email, "password": PASSWORD})
    if target != "/redactie/code":
        raise Failure(f"{email}: the password step went to {target!r}")
    text, _ = client.request(None, "GET", "/redactie/code")
    _, target = client.request(None, "POST", "/redactie/code", expect=302, form={
        "csrf_token": csrf("code", text), "code": pyotp.TOTP(secret).now()})
    if target.startswith("/redactie/code") or target.startswith("/redactie/aanmelden"):
        raise Failure(f"{email}: the code was refused ({target!r})")
    text, _ = client.request(None, "GET", "/redactie/inbox")
    if "queue-ouderenzorg" not in text:
        raise Failure(f"{email}: signed in, but the inbox is not there")
    return csrf("inbox", text)


class Shared:
    """What the clients of one run share: the item ids to open, the stop time, the errors."""

    def __init__(self, item_ids):
        self.item_ids = item_ids
        self.position = itertools.count()
        self.errors = []
        self.claimed = []
        self.lock = threading.Lock()

    def next_item_id(self):
        position = next(self.position)  # atomic enough under the GIL
        return self.item_ids[position % len(self.item_ids)]


def take_out_of_queue(conn, rating_id):
    """What a decision does to the queue's row, outside the app (see the docstring)."""
    conn.execute("UPDATE ratings SET status = 'approved', status_changed_at = now() "
                 "AT TIME ZONE 'UTC', decided_at = now() AT TIME ZONE 'UTC', "
                 "reserved_by_id = NULL, reserved_until = NULL "
                 "WHERE id = %s AND status = 'in_moderation'", (rating_id,))


def load(kind, editor, shared, deadline, base_path, database):
    client, token = editor["client"], editor["token"]
    conn = None
    try:
        if kind == "next":
            conn = fill.psycopg.connect(database, autocommit=True)
        current = None
        while time.perf_counter() < deadline:
            if kind == "baseline":
                client.request("baseline", "GET", base_path)
            elif kind == "next":
                _, target = client.request("next", "POST", "/redactie/inbox/volgende",
                                           form={"csrf_token": token}, expect=302)
                match = ITEM_PATH.fullmatch(target)
                if match is None:
                    raise Failure(f"Volgende went to {target!r}, not to an item")
                rating_id = int(match.group(1))
                shared.claimed.append(rating_id)
                take_out_of_queue(conn, rating_id)
            elif kind == "item":
                rating_id = shared.next_item_id()
                text, _ = client.request("item", "GET", f"/redactie/inbox/{rating_id}")
                if not HEADING.search(text) or 'name="decision"' not in text:
                    raise Failure(f"item {rating_id}: not the item page of a waiting rating")
            elif kind == "flow":
                if current is None:
                    _, target = client.request("flow_next", "POST", "/redactie/inbox/volgende",
                                               form={"csrf_token": token}, expect=302)
                    current = ITEM_PATH.fullmatch(target)
                    if current is None:
                        raise Failure(f"Volgende went to {target!r}, not to an item")
                text, _ = client.request("flow_item", "GET", current.group(0))
                if not HEADING.search(text):
                    raise Failure(f"{current.group(0)}: not an item page")
                _, target = client.request("flow_approve", "POST", current.group(0), form={
                    "csrf_token": csrf("item", text), "decision": "approved"}, expect=302)
                shared.claimed.append(int(current.group(1)))
                current = ITEM_PATH.fullmatch(target)
                if current is None:
                    raise Failure(f"approving went to {target!r}, not to the next item")
    except Failure as error:
        with shared.lock:
            shared.errors.append(str(error))
    finally:
        if conn is not None:
            conn.close()


def run_phase(kind, editors, shared, seconds, base_path, database):
    for editor in editors:
        editor["client"].samples = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    threads = [threading.Thread(target=load, args=(kind, editor, shared, deadline, base_path,
                                                    database)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if shared.errors:
        raise Failure(f"{kind}: {shared.errors[0]} ({len(shared.errors)} errors)")
    samples = {}
    for editor in editors:
        for page, seconds_, _status in editor["client"].samples:
            samples.setdefault(page, []).append(seconds_)
    return {page: figures(values, elapsed) for page, values in samples.items()}


def figures(values, elapsed):
    result = journeys.summary(values)
    result["rps"] = len(values) / elapsed
    return result


def server_times(log_path, start, end):
    """The server's own request time per page (%(D)s), by path."""
    times = {}
    with open(log_path, "rb") as log:
        log.seek(start)
        segment = log.read(end - start).decode(errors="replace")
    for line in segment.splitlines():
        match = journeys.ACCESS_LINE.search(line)
        if match is None:
            continue
        method, path, _status, micros = match.groups()
        if path.startswith("/_baseline/"):
            page = "baseline"
        elif method == "POST" and path == "/redactie/inbox/volgende":
            page = "next"
        elif ITEM_PATH.fullmatch(path):
            page = "item" if method == "GET" else "approve"
        else:
            continue
        times.setdefault(page, []).append(int(micros) / 1e6)
    return times


def combine(runs):
    return {key: mean(r[key] for r in runs)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "count")}


def table(rows, base):
    lines = [f"| {'page':<12} | {'request':<36} | {'req/s':>6} | {'p50 ms':>6} | "
             f"{'p95 ms':>6} | {'p99 ms':>6} | {'req/s ÷ base':>12} | {'p95 ÷ base':>10} | "
             f"{'server p95 ms':>13} | {'server ÷ base':>13} |",
             f"|{'-' * 14}|{'-' * 38}|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|"
             f"{'-' * 13}:|{'-' * 11}:|{'-' * 14}:|{'-' * 14}:|"]
    for name, (request, figures_, server) in rows.items():
        server_p95 = server.get("p95_ms", float("nan"))
        lines.append(
            f"| {name:<12} | {request:<36} | {figures_['rps']:>6.0f} | "
            f"{figures_['p50_ms']:>6.1f} | {figures_['p95_ms']:>6.1f} | "
            f"{figures_['p99_ms']:>6.1f} | {figures_['rps'] / base[0]['rps']:>12.2f} | "
            f"{figures_['p95_ms'] / base[0]['p95_ms']:>10.2f} | {server_p95:>13.1f} | "
            f"{server_p95 / base[1]['p95_ms']:>13.2f} |")
    return "\n".join(lines)


def pick_item_ids(url, count=50_000, seed=20261123):
    with fill.psycopg.connect(fill.libpq(url, run.DATABASE)) as conn:
        ids = [row[0] for row in conn.execute(
            "SELECT id FROM ratings WHERE status = 'in_moderation' "
            "ORDER BY confirmed_at DESC, id DESC LIMIT %s", (count,))]
        waiting = conn.execute(
            "SELECT count(*) FROM ratings WHERE status = 'in_moderation'").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
    random.Random(seed).shuffle(ids)
    return ids, {"ratings": total, "waiting": waiting, "item_ids": len(ids)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", fill.DEFAULT_URL))
    parser.add_argument("--editors", type=int, default=8, help="concurrent signed-in editors")
    parser.add_argument("--duration", type=float, default=15, help="seconds per page and run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per page first")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--flow", type=float, default=15,
                        help="seconds of the real flow (next, item, approve); 0: none")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn -w")
    parser.add_argument("--sql", action="append", default=[],
                        help="a statement to run in wdp_bench first (an index to try)")
    parser.add_argument("--stop", action="store_true", help="stop the cluster afterwards")
    args = parser.parse_args(argv)

    from wdp.config import from_environment
    per_page = from_environment(str(ROOT / "instance"))["WDP_RATINGS_PER_PAGE"]
    url = fill.make_url(args.url)
    fill.main(["--url", args.url])
    run.fresh_database(url)
    database_url = url.set(database=run.DATABASE).render_as_string(hide_password=False)
    database = fill.libpq(url, run.DATABASE)
    for statement in args.sql:
        started = time.perf_counter()
        with fill.psycopg.connect(database, autocommit=True) as conn:
            conn.execute(statement)
            conn.execute("ANALYZE ratings")
        print(f"ran in {run.DATABASE} ({time.perf_counter() - started:.1f} s): {statement}")
    pages, data = run.pick_pages(url, per_page)
    base_path = pages["baseline"][0]
    item_ids, data["queue"] = pick_item_ids(url)
    accounts = create_editors(database_url, args.editors)
    port = run.free_port()
    host = "127.0.0.1"
    exit_status = 0
    with tempfile.TemporaryDirectory(prefix="wdp-bench-") as scratch:
        log_path = Path(scratch) / "gunicorn.log"
        log = open(log_path, "w+")
        gunicorn = run.start_gunicorn(
            database_url, port, args.workers, log,
            extra_args=["--access-logformat", journeys.ACCESS_LOG_FORMAT])
        runs = []
        try:
            run.wait_until_up(f"http://{host}:{port}", base_path, gunicorn)
            editors = []
            for email, secret in accounts:
                client = Client(host, port)
                editors.append({"email": email, "client": client,
                                "token": sign_in(client, email, secret)})
            print(f"gunicorn -w {args.workers} on port {port}; {len(editors)} editors signed "
                  f"in; {data['queue']['waiting']:,} ratings waiting of "
                  f"{data['queue']['ratings']:,}")
            shared = Shared(item_ids)
            kinds = ["baseline", "next", "item"] + (["flow"] if args.flow else [])
            for kind in kinds:
                run_phase(kind, editors, shared, args.warmup, base_path, database)
            schedule = [(1, kind) for kind in kinds]
            for round_number in range(2, args.rounds + 1):
                schedule += [(round_number, name) for kind in kinds if kind != "baseline"
                             for name in ("baseline", kind)]
            print(f"measuring: {len(schedule)} runs, {args.editors} editors, "
                  f"{args.duration:g} s each (flow {args.flow:g} s)")
            load_before = os.getloadavg()[0]
            previous = None
            for round_number, kind in schedule:
                log.flush()
                log_start = log_path.stat().st_size
                result = run_phase(kind, editors, shared,
                                   args.flow if kind == "flow" else args.duration,
                                   base_path, database)
                time.sleep(0.3)  # the last access log lines
                server = {page: journeys.summary(values) for page, values in
                          server_times(log_path, log_start, log_path.stat().st_size).items()}
                for page, figures_ in result.items():
                    figures_["server"] = server.get(
                        {"flow_next": "next", "flow_item": "item",
                         "flow_approve": "approve"}.get(page, page), {})
                    record = {"round": round_number, "page": page, **figures_}
                    note = ""
                    if page == "baseline":
                        previous = figures_
                    elif previous:
                        record["p95_ratio_to_previous_baseline"] = (
                            figures_["p95_ms"] / previous["p95_ms"])
                        note = (f"   ÷ baseline before: p95 "
                                f"{record['p95_ratio_to_previous_baseline']:.2f}")
                    runs.append(record)
                    print(f"  round {round_number} {page:<13} {figures_['rps']:6.0f} req/s  "
                          f"p50 {figures_['p50_ms']:6.1f}  p95 {figures_['p95_ms']:6.1f}  "
                          f"p99 {figures_['p99_ms']:6.1f} ms  server p95 "
                          f"{figures_['server'].get('p95_ms', float('nan')):5.1f} ms{note}",
                          flush=True)
            load_after = os.getloadavg()[0]
        except Failure as error:
            print(f"FAILED: {error}")
            exit_status = 2
        finally:
            run.stop_process(gunicorn)
            log.seek(0)
            lines = log.readlines()
            errors = [line for line in lines if "Traceback" in line or "ERROR" in line]
            if errors:
                first = next(n for n, line in enumerate(lines) if "Traceback" in line
                             or "ERROR" in line)
                print("".join(lines[first:first + 60]))
            log.close()
            if args.stop and fill.manages_cluster(url):
                fill.stop_cluster()
    if errors:
        print("gunicorn logged errors:\n" + "".join(errors[:20]))
        exit_status = 2
    if exit_status:
        return exit_status

    names = ["baseline", "next", "item"] + (list(FLOW) if args.flow else [])
    combined = {}
    for name in names:
        page_runs = [r for r in runs if r["page"] == name]
        combined[name] = (combine(page_runs),
                          {"p95_ms": mean(r["server"]["p95_ms"] for r in page_runs
                                          if r["server"])})
    base = combined["baseline"]
    rows = {name: ({**PAGES, **FLOW}[name], *combined[name]) for name in names}
    targets = {f"{name}: p95 <= {MAX_P95_RATIO:g}x baseline":
               combined[name][0]["p95_ms"] / base[0]["p95_ms"] <= MAX_P95_RATIO
               for name in ("next", "item")}
    text = table(rows, base)
    print()
    print(text)
    print()
    for target, held in targets.items():
        print(f"  {'holds ' if held else 'MISSED'}  {target}")
    cpus = os.cpu_count()
    print(f"\n  load average (1 min) {load_before:.1f} before, {load_after:.1f} after, "
          f"on {cpus} CPUs")
    with fill.psycopg.connect(database) as conn:
        left = conn.execute("SELECT count(*) FROM ratings WHERE status = 'in_moderation'"
                            ).fetchone()[0]
    claimed = len(shared.claimed)
    if len(set(shared.claimed)) != claimed:
        print(f"  PROBLEM: {claimed - len(set(shared.claimed))} items were claimed twice")
        exit_status = 2
    print(f"  {claimed:,} items taken from the queue ({len(set(shared.claimed)):,} different), "
          f"{left:,} still waiting")

    commit, changed = journeys.git_state()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run.RESULTS.mkdir(exist_ok=True)
    result_file = run.RESULTS / f"inbox-{stamp}.json"
    result_file.write_text(json.dumps({
        "time": stamp, "commit": commit, "uncommitted_changes": changed,
        "machine": {"cpus": cpus, "platform": platform.platform(),
                    "load_average_before": load_before, "load_average_after": load_after},
        "settings": {"editors": args.editors, "duration_s": args.duration,
                     "warmup_s": args.warmup, "rounds": args.rounds, "flow_s": args.flow,
                     "gunicorn_workers": args.workers, "sql": args.sql},
        "data": data, "baseline_path": base_path, "runs": runs,
        "combined": {name: {"client": c, "server": s} for name, (c, s) in combined.items()},
        "claimed": claimed, "still_waiting": left, "targets": targets, "table": text},
        indent=2) + "\n")
    print(f"\nwritten to {result_file.relative_to(ROOT)}")
    if exit_status:
        return exit_status
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
