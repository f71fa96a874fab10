"""Fill a PostgreSQL template database: 10,000 locations, 1,000,000 published ratings, a queue.

    /work/venv/bin/python bench/fill.py [--rebuild] [--url postgresql+psycopg://...]

The schema comes from the migrations and the sectors from `seed`, both through the app; the
bulk rows are written with COPY. The result is the template database `wdp_bench_template`,
which bench/run.py copies before every run; it is reused until the migrations change or
`--rebuild` is given. With the default URL this script also creates and starts the benchmark's
own PostgreSQL cluster (as the postgres user, on port 55440, data in /var/tmp/wdp-bench-pg).

What is generated, and why:
- organisations, and locations spread over the four sectors and their kinds, all active, in
  the register and with a current participation, so every one of them is listed;
- published ratings with a J-shaped score distribution that differs per location, spread over
  four years and inserted in publication order (as they arrive in production, so the ratings
  of one location are scattered over the table); ranks are dense 1..n per location in
  published_at order and the score counters equal the counts, both computed while generating;
- one location (in ouderenzorg) with exactly 50,000 published ratings, for the last page;
- 5% extra ratings that are not (or no longer) published, so status and rank filters matter;
- a response to 5% of the published ratings, most of them approved;
- the editors' queue (issue 5): 100,000 ratings in `in_moderation`, confirmed over the last four
  weeks, on locations picked in proportion to their published ratings (the big location gets
  about 4,000), with the 8 theme answers of their sector, texts (some with a phone number, an
  e-mail address, a person's name or a web address, so the flags fire), an e-mail address
  (15% from a pool of 3,000 addresses that rate often, 2% repeating an earlier queue rating of
  the same address and location a few days later, with repeat_of_id), and their events
  (created -> draft -> submitted -> in_moderation, as the form records them);
- 50,000 ratings `approved` 4-9 days before the fill's "now" under the opt-in policy, each due
  for its first reminder (issue 6's run-jobs benchmark), with answers and events, the approval
  by one benchmark editor;
- status_changed_at, decided_at, publication_policy and publish_consent (migration 0008) for
  every row: published ratings entered their status when published (status_changed_at =
  published_at) and were approved a little before (decided_at), under opt-in.
The 1,000,000 published ratings have no answers and no events: no page measured reads them,
and 8 answers each would add 8,000,000 rows and minutes of filling without changing a single
measurement. The fill's reference time ("now") is kept in the table bench.info (key 'now', a
naive UTC ISO time), outside the app's schema: the queue and the approvals count from it, so a
template some days old has older items (run with --rebuild before measuring reminders).
"""
import argparse
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from bisect import bisect
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # always this checkout's app, whatever the venv points at

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:55440/postgres"
TEMPLATE = "wdp_bench_template"
PG_BIN = Path(os.environ.get("WDP_BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
PGDATA = Path(os.environ.get("WDP_BENCH_PGDATA", "/var/tmp/wdp-bench-pg"))
MIN_FREE_BYTES = 5 * 1024**3
#: settings of the benchmark's own cluster: a modest production-like cache, quick bulk loads
SERVER_SETTINGS = ("-c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=512MB"
                   " -c max_wal_size=2GB -c checkpoint_timeout=30min")

N_LOCATIONS = 10_000
N_PUBLISHED = 1_000_000
N_BIG = 50_000
N_ORGANISATIONS = 1_500
UNPUBLISHED_SHARE = 0.05
RESPONSE_SHARE = 0.05
YEARS = 4
#: the editors' queue (issue 5): confirmed over the last QUEUE_DAYS, waiting now
N_QUEUE = 100_000
QUEUE_DAYS = 28
#: approved ratings due for their first reminder (issue 6): approved 4-9 days before "now"
#: (WDP_FIRST_REMINDER_DAYS is 3 and the second reminder comes at 10)
N_APPROVED = 50_000
APPROVED_DAYS = (4, 9)
#: share of queue and approved ratings whose address comes from a small pool of addresses that
#: rate often (a supporter for several people, or someone trying to flood a location)
REUSED_ADDRESS_SHARE = 0.15
REUSED_ADDRESSES = 3_000
#: share that repeats an earlier queue rating: same address, same location, a few days later
REPEAT_SHARE = 0.02
#: what a queue text may contain for the flags (wdp/moderation/flags.py), with its share
FLAGGED_TEXTS = [
    (0.03, "Bel me gerust op 0470 12 34 56 als u meer wilt weten."),
    (0.02, "Mail me op iemand.anders@voorbeeld.be voor meer uitleg."),
    (0.03, "Vooral verpleegster Els Peeters doet haar werk goed."),
    (0.01, "Kijk ook eens op www.klachtenzorg.be voor mijn verhaal."),
]
#: the submitters' addresses: outside testing mode the app refuses to mail a .test address
EMAIL_DOMAIN = "bench.example.org"
#: the schema (not the app's) holding what the fill knows, e.g. the "now" the dates count from
INFO_SCHEMA = "bench"

# --- the cluster -------------------------------------------------------------------------


def _as_postgres(command):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _accepts_connections(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def manages_cluster(url):
    """True when the URL points at the loopback port the benchmark's own cluster uses."""
    return url.host in ("127.0.0.1", "localhost") and url.port is not None


def ensure_cluster(url, pgdata=PGDATA):
    """Start the benchmark's own cluster on the URL's loopback port, creating it if needed."""
    if _accepts_connections(url.host, url.port) or not manages_cluster(url):
        return False
    if not (pgdata / "data" / "PG_VERSION").exists():
        check_free_space(pgdata)
        pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(pgdata, "postgres")
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(pgdata / "data"),
                                     "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                     "--locale", "C.UTF-8"]),
                       check=True, stdout=subprocess.DEVNULL, timeout=120)
    options = f"-p {url.port} -k {pgdata} -c listen_addresses=127.0.0.1 {SERVER_SETTINGS}"
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(pgdata / "data"),
                                 "-l", str(pgdata / "log"), "-o", options, "-w", "start"]),
                   check=True, stdout=subprocess.DEVNULL, timeout=120)
    print(f"started the benchmark cluster on port {url.port} (data in {pgdata})")
    return True


def stop_cluster(pgdata=PGDATA):
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(pgdata / "data"),
                                 "-m", "fast", "-w", "stop"]),
                   check=True, stdout=subprocess.DEVNULL, timeout=120)


def check_free_space(path):
    """Refuse to start a fill that could fill the disk."""
    while not path.exists():
        path = path.parent
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        sys.exit(f"Only {free / 1024**3:.1f} GB free on the disk of {path}; the benchmark "
                 f"cluster takes about 2 GB (template, its copy, WAL) and we keep a margin: "
                 f"free at least {MIN_FREE_BYTES / 1024**3:.0f} GB and run this again.")
    return free


def libpq(url, database=None):
    """A psycopg connection string from a SQLAlchemy URL."""
    if database:
        url = url.set(database=database)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def admin_connection(url):
    return psycopg.connect(libpq(url), autocommit=True)


def migrations_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def template_state(url, template=TEMPLATE):
    """'missing', 'unfinished' (no template flag: a fill broke off), 'stale' or 'ready'."""
    with admin_connection(url) as conn:
        row = conn.execute("SELECT datistemplate FROM pg_database WHERE datname = %s",
                           (template,)).fetchone()
    if row is None:
        return "missing"
    if not row[0]:
        return "unfinished"
    with psycopg.connect(libpq(url, template)) as conn:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    return "ready" if revision == migrations_head() else "stale"


def drop_database(conn, name):
    conn.execute(f'ALTER DATABASE "{name}" IS_TEMPLATE false')
    conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


# --- the data ----------------------------------------------------------------------------

#: (name, postcode, weight): bigger cities have more locations
MUNICIPALITIES = [
    ("Antwerpen", "2000", 8), ("Gent", "9000", 7), ("Brugge", "8000", 3), ("Leuven", "3000", 3),
    ("Mechelen", "2800", 2), ("Aalst", "9300", 2), ("Kortrijk", "8500", 2), ("Hasselt", "3500", 2),
    ("Sint-Niklaas", "9100", 2), ("Oostende", "8400", 2), ("Genk", "3600", 2),
    ("Roeselare", "8800", 2), ("Turnhout", "2300", 1), ("Dendermonde", "9200", 1),
    ("Beveren", "9120", 1), ("Lier", "2500", 1), ("Geel", "2440", 1), ("Vilvoorde", "1800", 1),
    ("Halle", "1500", 1), ("Tienen", "3300", 1), ("Ieper", "8900", 1), ("Lokeren", "9160", 1),
    ("Waregem", "8790", 1), ("Herentals", "2200", 1), ("Tongeren", "3700", 1), ("Mol", "2400", 1),
    ("Zaventem", "1930", 1), ("Brasschaat", "2930", 1), ("Schoten", "2900", 1),
    ("Deinze", "9800", 1), ("Ninove", "9400", 1), ("Eeklo", "9900", 1), ("Oudenaarde", "9700", 1),
    ("Sint-Truiden", "3800", 1), ("Diest", "3290", 1), ("Menen", "8930", 1),
    ("Wevelgem", "8560", 1), ("Izegem", "8870", 1), ("Torhout", "8820", 1),
    ("Knokke-Heist", "8300", 1), ("Overijse", "3090", 1), ("Tervuren", "3080", 1),
]
STREETS = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Nieuwstraat", "Molenstraat",
           "Schoolstraat", "Kapelstraat", "Beekstraat", "Veldstraat", "Lindenlaan",
           "Kasteeldreef", "Ringlaan", "Bosstraat", "Hoogstraat", "Meersstraat"]
#: "zon" is the common word bench/run.py searches for (six of these start with it)
NAME_WORDS = ["De Linde", "Zonnebloem", "Zonnehof", "Zonneweelde", "Sint-Jozef",
              "Sint-Vincentius", "Het Kasteeltje", "De Notelaar", "Ter Beuken", "De Regenboog",
              "Hof ter Veldekens", "Het Anker", "De Vlinder", "Zonneschijn", "De Wingerd",
              "Ter Linden", "Het Park", "De Meers", "Ons Huis", "Sint-Anna", "De Kabouters",
              "Het Nest", "De Boomgaard", "Villa Zon", "De Eik", "Hemelrijk", "Zonnewende",
              "Het Hoekje", "De Klaproos", "Ter Wilgen", "Avondrust", "Huize Sint-Jan",
              "De Populier", "Het Molenhuis", "Ter Heide", "De Bron", "Het Vogelnest",
              "De Kastanje", "Ten Bos", "Het Klavertje"]
KIND_PREFIXES = {
    "woonzorgcentrum": ["WZC", "Woonzorgcentrum"], "kortverblijf-ouderen": ["Kortverblijf"],
    "dagverzorgingscentrum": ["Dagverzorgingscentrum", "DVC"],
    "groepsopvang": ["Kinderdagverblijf", "Crèche"],
    "samenwerkende-onthaalouders": ["Onthaalouders"], "gezinsopvang": ["Onthaalouder"],
    "buitenschoolse-opvang": ["IBO", "Buitenschoolse opvang"],
    "jeugdhulp-verblijf": ["Leefgroep", "Tehuis"], "jeugdhulp-ambulant": ["Dienst", "Centrum"],
    "wonen": ["Woongroep", "Huis"], "dagondersteuning": ["Dagcentrum", "Atelier"],
    "kortverblijf-handicap": ["Logeerhuis"],
}
SECTOR_WEIGHTS = {"ouderenzorg": 3, "kinderopvang": 4, "jeugdhulp": 1, "handicap": 2}
ORGANISATION_TYPES = ["vzw", "Zorggroep", "Zorgnet", "Welzijnshuis", "Kinderopvang",
                      "Woonzorgnet", "Zorgbedrijf", "Huis van het Kind"]
SENTENCES = [
    "De medewerkers zijn vriendelijk en nemen de tijd.",
    "Het eten is lekker en er is genoeg keuze.",
    "Soms moeten we lang wachten als we op de bel drukken.",
    "Mijn moeder voelt zich hier thuis.",
    "Er is te weinig personeel, vooral 's avonds en in het weekend.",
    "De kamer is proper en licht.",
    "We worden goed op de hoogte gehouden van wat er verandert.",
    "De activiteiten zijn leuk, maar er zijn er te weinig.",
    "Mijn zoon gaat elke dag met plezier naar de opvang.",
    "De begeleiders luisteren echt naar wat ik zeg.",
    "De communicatie met de familie kan beter.",
    "Bij het ophalen hoor ik altijd hoe de dag was.",
    "Ik mag zelf kiezen wat ik doe en wanneer ik eet.",
    "Het gebouw is oud, maar de mensen maken veel goed.",
    "Er zijn veel wisselende gezichten, dat vind ik jammer.",
    "De zorg 's nachts is goed geregeld.",
    "Ik voel me hier veilig.",
    "Het duurde lang voor we een plaats kregen.",
    "De tuin is mooi en we kunnen vaak naar buiten.",
    "Afspraken worden niet altijd nagekomen.",
]
RESPONSES = [
    "Dank u voor uw waardering. We bespreken uw opmerking in het team.",
    "Fijn om te lezen! We geven uw compliment door aan de medewerkers.",
    "We betreuren dat het wachten soms lang duurt en zoeken extra handen. Neem gerust "
    "contact op met de directie.",
    "Bedankt voor uw eerlijke feedback. We werken aan betere communicatie met de familie.",
]
ROLES = [("self", 35), ("parent", 25), ("family", 25), ("representative", 5),
         ("supporter", 7), ("staff", 3)]
LANGUAGES = [("nl", 92), ("fr", 5), ("en", 3)]
#: overall score weights 1..5 of an average location: J-shaped, as rating sites see
SCORE_WEIGHTS = [10, 7, 13, 30, 40]
#: the old extras; none waits in moderation (the queue below is made on purpose)
UNPUBLISHED_STATUSES = [("rejected", 40), ("withdrawn", 25), ("removed", 5),
                        ("not_published", 30)]


class Weighted:
    """rng.choices() for one item, with the cumulative weights computed once."""

    def __init__(self, items, rng):
        self.values = [v for v, _ in items]
        self.cumulative = list(accumulate(w for _, w in items))
        self.total = self.cumulative[-1]
        self.rng = rng

    def __call__(self):
        return self.values[bisect(self.cumulative, self.rng.random() * self.total)]


def rating_reference(rating_id, alphabet="23456789ABCDEFGHJKMNPQRSTUVWXYZ"):
    """A unique reference like "W-4K7P2Q": the id scrambled by a bijection on 31**6."""
    number = rating_id * 387_420_489 % len(alphabet) ** 6  # 9**9 is coprime with 31**6
    letters = []
    for _ in range(6):
        number, digit = divmod(number, len(alphabet))
        letters.append(alphabet[digit])
    return "W-" + "".join(letters)


def rating_counts(rng, n_locations, n_published, n_big):
    """Published ratings per location: the first has n_big, the rest a long-tailed spread."""
    rest = n_published - n_big
    weights = [0.0 if rng.random() < 0.05 else rng.lognormvariate(0, 0.8)
               for _ in range(n_locations - 1)]
    total = sum(weights)
    exact = [w / total * rest for w in weights]
    counts = [math.floor(x) for x in exact]
    # Largest remainders get the ratings that rounding down left over: the sum is exact.
    leftover = rest - sum(counts)
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)[:leftover]:
        counts[i] += 1
    return [n_big] + counts


def make_locations(rng, sectors, n_locations):
    """Location rows without counters, the first (the big one) a woonzorgcentrum."""
    from wdp.locations.operations import CODE_ALPHABET
    from wdp.locations.search_keys import location_search_key, normalise

    pick_sector = Weighted([(s, SECTOR_WEIGHTS[s]) for s in sectors], rng)
    pick_municipality = Weighted([((m, p), w) for m, p, w in MUNICIPALITIES], rng)
    organisations, seen = [], set()
    while len(organisations) < N_ORGANISATIONS:
        name = (f"{rng.choice(ORGANISATION_TYPES)} {rng.choice(NAME_WORDS)} "
                f"{pick_municipality()[0]}")
        if name in seen:
            name = f"{name} {len(organisations)}"
        seen.add(name)
        organisations.append(name)
    codes = set()
    locations = []
    for n in range(1, n_locations + 1):
        sector = "ouderenzorg" if n == 1 else pick_sector()
        kinds = sectors[sector]["kinds"]
        kind = "woonzorgcentrum" if n == 1 else rng.choice(list(kinds))
        municipality, postcode = pick_municipality()
        organisation_id = rng.randrange(len(organisations)) + 1
        name = f"{rng.choice(KIND_PREFIXES[kind])} {rng.choice(NAME_WORDS)}"
        slug = normalise(f"{name} {municipality}").replace(" ", "-")
        while (code := "".join(rng.choice(CODE_ALPHABET) for _ in range(6))) in codes:
            pass
        codes.add(code)
        locations.append({
            "id": n, "sector": sector, "sector_id": sectors[sector]["id"],
            "kind_id": kinds[kind], "organisation_id": organisation_id, "name": name,
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 250)}", "postcode": postcode,
            "municipality": municipality, "contact_email": f"info@{slug}.example",
            "phone": f"0{rng.randint(2, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
                     f"{rng.randint(10, 99)}",
            "website": f"https://www.{slug}.example" if rng.random() < 0.6 else "",
            "register_id": f"B{n:06d}",
            "register_url": f"https://www.desocialekaart.be/bench/{n}",
            "inspection_url": (f"https://www.zorginspectie.example/verslagen/{n}"
                               if sector == "ouderenzorg" else ""),
            "search_key": location_search_key(name, organisations[organisation_id - 1],
                                              municipality, postcode),
            "code": code,
        })
    return organisations, locations


def make_ratings(rng, counts, start, end):
    """Every rating as (published or created time, location id, score, status), time-sorted.

    Each location gets its own quality, which tilts the score weights, and its own start
    (when it joined); its ratings are spread uniformly from there to the end.
    """
    span = (end - start).total_seconds()
    pick_unpublished = Weighted(UNPUBLISHED_STATUSES, rng)
    starts, ratings = [], []
    for location_id, count in enumerate(counts, start=1):
        joined = 0.0 if location_id == 1 else rng.random() * span / 2
        starts.append(start + timedelta(seconds=joined))
        quality = rng.gauss(0, 1)
        weights = [w * math.exp(quality * (s - 3) * 0.35) for s, w in enumerate(SCORE_WEIGHTS, 1)]
        scores = rng.choices(range(1, 6), weights, k=count)
        extra = round(count * UNPUBLISHED_SHARE)
        extra_scores = rng.choices(range(1, 6), weights, k=extra)
        for score in scores:
            ratings.append((joined + rng.random() * (span - joined), location_id, score, None))
        for score in extra_scores:
            ratings.append((joined + rng.random() * (span - joined), location_id, score,
                            pick_unpublished()))
    ratings.sort(key=itemgetter(0))
    return starts, ratings


def make_queue(rng, counts, locations, sectors, first_id, now, n_queue, n_approved):
    """The waiting and the approved ratings: {"ratings": COPY rows of ratings (the columns of
    fill()), "answers": (rating_id, theme_id, score, text), "events": (rating_id, at, actor,
    from, to)}. Ids start at first_id; the queue first, in confirmation order."""
    # Locations in proportion to their published ratings, and a few for every location.
    pick_location = Weighted([(n, count + 2) for n, count in enumerate(counts, start=1)], rng)
    pick_language = Weighted(LANGUAGES, rng)
    pick_score = Weighted(list(zip(range(1, 6), SCORE_WEIGHTS, strict=True)), rng)
    pool = [f"vaak{n}@{EMAIL_DOMAIN}" for n in range(REUSED_ADDRESSES)]
    # Most addresses of the pool come back a few times, some dozens of times, the first ~200.
    pick_pooled = Weighted([(address, 1 / (n + 1) ** 0.5) for n, address in enumerate(pool)],
                           rng)
    queue_span = QUEUE_DAYS * 86400
    plans = []  # (kind, confirmed, location id)
    for _ in range(n_queue):
        plans.append(("queue", now - timedelta(seconds=60 + rng.random() * queue_span),
                      pick_location()))
    low, high = APPROVED_DAYS
    for _ in range(n_approved):
        approved = now - timedelta(days=low + 0.01 + rng.random() * (high - low - 0.02))
        plans.append(("approved", approved, pick_location()))
    queue_plans = sorted(p for p in plans if p[0] == "queue")
    approved_plans = sorted(p for p in plans if p[0] == "approved")
    rows, answers, events = [], [], []
    earlier = []  # (rating id, address, location id, confirmed) of queue ratings, for repeats
    for rating_id, (kind, moment, location_id) in enumerate(queue_plans + approved_plans,
                                                            start=first_id):
        sector = locations[location_id - 1]["sector"]
        if kind == "queue":
            confirmed, decided, status, policy = moment, None, "in_moderation", None
        else:
            decided, status, policy = moment, "approved", "opt_in"
            confirmed = decided - timedelta(hours=1 + rng.random() * 24 * 6)
        submitted = confirmed - timedelta(minutes=5 + rng.random() * 600)
        created_at = submitted - timedelta(minutes=4 + rng.random() * 20)
        repeat_of = None
        draw = rng.random()
        if kind == "queue" and earlier and draw < REPEAT_SHARE:
            # The same address again for the same location, a few days later: a repeat.
            previous_id, email, location_id, previous_confirmed = rng.choice(earlier[-5000:])
            sector = locations[location_id - 1]["sector"]
            if previous_confirmed < confirmed:
                repeat_of = previous_id
        elif draw < REPEAT_SHARE + REUSED_ADDRESS_SHARE:
            email = pick_pooled()
        else:
            email = f"m{rating_id}@{EMAIL_DOMAIN}"
        if kind == "queue":
            earlier.append((rating_id, email, location_id, confirmed))
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
        chance = rng.random()
        for share, flagged in FLAGGED_TEXTS:
            if chance < share:
                text = f"{text} {flagged}"
                break
            chance -= share
        score = pick_score()
        rows.append((rating_id, location_id, status, rng.choice(_roles(sector)), pick_language(),
                     score, text, email, rating_reference(rating_id), created_at, submitted,
                     confirmed, None, None, None, decided or confirmed, decided, policy, None,
                     repeat_of))
        for theme_id in sectors[sector]["themes"]:
            theme_score = None if rng.random() < 0.1 else max(1, min(5, score + rng.randint(-1, 1)))
            theme_text = rng.choice(SENTENCES) if rng.random() < 0.4 else ""
            answers.append((rating_id, theme_id, theme_score, theme_text))
        events.append((rating_id, created_at, "submitter", None, "draft"))
        events.append((rating_id, submitted, "submitter", "draft", "submitted"))
        events.append((rating_id, confirmed, "submitter", "submitted", "in_moderation"))
        if decided:
            events.append((rating_id, decided, "editor", "in_moderation", "approved"))
    return {"ratings": rows, "answers": answers, "events": events}


def _roles(sector, cache={}):  # noqa: B006 - a per-process cache on purpose
    if sector not in cache:
        from wdp.rating_form.steps import ROLES_BY_SECTOR
        cache[sector] = ROLES_BY_SECTOR[sector]
    return cache[sector]


def fill(url, args):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from wdp import create_app
    from wdp.editors.operations import create_editor
    from wdp.extensions import db
    from wdp.sectors.models import LocationKind, Sector, Theme
    from wdp.sectors.operations import seed_reference_data

    timings = {}
    clock = time.perf_counter()

    def lap(step):
        nonlocal clock
        now = time.perf_counter()
        timings[step] = now - clock
        print(f"  {step:<56} {now - clock:7.1f} s", flush=True)
        clock = now

    with admin_connection(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (args.template,)).fetchone()
        if exists:
            drop_database(conn, args.template)
        conn.execute(f'CREATE DATABASE "{args.template}"')
    template_url = url.set(database=args.template).render_as_string(hide_password=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": template_url})
    with app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        sectors = {s.slug: {"id": s.id, "kinds": {}} for s in db.session.query(Sector)}
        for kind in db.session.query(LocationKind):
            for info in sectors.values():
                if info["id"] == kind.sector_id:
                    info["kinds"][kind.slug] = kind.id
        for info in sectors.values():
            info["themes"] = list(db.session.scalars(
                select(Theme.id).where(Theme.sector_id == info["id"], Theme.is_current)
                .order_by(Theme.position, Theme.id)))
        # The editor who approved the 50,000 (an account without password: nobody signs in).
        approver_id = create_editor("Redactie benchmark", "redactie@bench.example.org",
                                    "editor").id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    lap("database, migrations and seed (through the app)")

    rng = random.Random(args.seed)
    end = datetime.now(UTC).replace(tzinfo=None, microsecond=0) - timedelta(days=1)
    start = end - timedelta(days=365 * YEARS)
    counts = rating_counts(rng, args.locations, args.ratings, args.big)
    organisations, locations = make_locations(rng, sectors, args.locations)
    starts, ratings = make_ratings(rng, counts, start, end)
    lap(f"generate {len(ratings):,} ratings in Python")

    pick_role = Weighted(ROLES, rng)
    pick_language = Weighted(LANGUAGES, rng)
    score_counts = [[0] * 5 for _ in locations]
    ranks = [0] * len(locations)
    responses = []
    created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with psycopg.connect(libpq(url, args.template)) as conn, conn.cursor() as cur:
        # Superuser only: no foreign-key triggers per row; the checks below verify instead.
        cur.execute("SET session_replication_role = replica")
        with cur.copy("COPY organisations (id, name) FROM STDIN") as copy:
            for n, name in enumerate(organisations, start=1):
                copy.write_row((n, name))
        rating_columns = ("id, location_id, status, role, language, overall_score, "
                          "experience_text, email, reference, created_at, submitted_at, "
                          "confirmed_at, published_at, personal_data_erased_at, "
                          "publication_rank, status_changed_at, decided_at, "
                          "publication_policy, publish_consent, repeat_of_id")
        with cur.copy(f"COPY ratings ({rating_columns}) FROM STDIN") as copy:
            for rating_id, (seconds, location_id, score, status) in enumerate(ratings, start=1):
                at = start + timedelta(seconds=seconds)
                submitted = at - timedelta(hours=2 + rng.random() * 70)
                # Confirmed, then decided, then (for the published) published at `at`.
                confirmed = submitted + (at - submitted) * (0.01 + rng.random() * 0.3)
                decided = confirmed + (at - confirmed) * rng.random()
                published_at, rank, erased_at = None, None, None
                changed, policy = at, "opt_in"
                if status is None:
                    status = "published"
                    published_at = at
                    ranks[location_id - 1] += 1
                    rank = ranks[location_id - 1]
                    score_counts[location_id - 1][score - 1] += 1
                    if rng.random() < RESPONSE_SHARE:
                        responses.append((rating_id, at))
                elif status in ("withdrawn", "removed"):
                    published_at = at
                    changed = at + timedelta(days=rng.random() * 30)
                    erased_at = changed + timedelta(days=30 + rng.random() * 270)
                elif status == "rejected":
                    decided, policy = at, None
                if erased_at is None:
                    sentences = rng.randint(0, 4)
                    text = " ".join(rng.choice(SENTENCES) for _ in range(sentences))
                    email = f"r{rating_id}@{EMAIL_DOMAIN}"
                else:
                    text, email = "", None
                copy.write_row((rating_id, location_id, status, pick_role(), pick_language(),
                                score, text, email, rating_reference(rating_id),
                                submitted - timedelta(minutes=15), submitted, confirmed,
                                published_at, erased_at, rank, changed, decided, policy, None,
                                None))
            queue = make_queue(rng, counts, locations, sectors, len(ratings) + 1, created,
                               args.queue, args.approved)
            for row in queue["ratings"]:
                copy.write_row(row)
        lap(f"COPY ratings (and {args.queue:,} waiting, {args.approved:,} approved)")
        with cur.copy("COPY rating_answers (id, rating_id, theme_id, score, text) FROM STDIN"
                      ) as copy:
            for n, row in enumerate(queue["answers"], start=1):
                copy.write_row((n, *row))
        with cur.copy("COPY rating_events (id, rating_id, at, actor_type, actor_id, "
                      "from_status, to_status, reasons, message) FROM STDIN") as copy:
            for n, (rating_id, at, actor, from_status, to_status) in enumerate(
                    queue["events"], start=1):
                copy.write_row((n, rating_id, at, actor,
                                approver_id if actor == "editor" else None,
                                from_status, to_status, "", ""))
        cur.execute(f"CREATE SCHEMA {INFO_SCHEMA}")
        cur.execute(f"CREATE TABLE {INFO_SCHEMA}.info (key text PRIMARY KEY, value text)")
        cur.execute(f"INSERT INTO {INFO_SCHEMA}.info VALUES ('now', %s), ('approver_id', %s)",
                    (created.isoformat(), str(approver_id)))
        lap(f"COPY {len(queue['answers']):,} answers and {len(queue['events']):,} events")
        location_columns = (
            "id, sector_id, kind_id, organisation_id, name, street, postcode, municipality, "
            "contact_email, phone, website, register_source, register_id, register_status, "
            "in_register, register_url, inspection_url, search_key, code, score_1_count, "
            "score_2_count, score_3_count, score_4_count, score_5_count, created_at, updated_at")
        with cur.copy(f"COPY locations ({location_columns}) FROM STDIN") as copy:
            for loc, scores in zip(locations, score_counts, strict=True):
                copy.write_row((
                    loc["id"], loc["sector_id"], loc["kind_id"], loc["organisation_id"],
                    loc["name"], loc["street"], loc["postcode"], loc["municipality"],
                    loc["contact_email"], loc["phone"], loc["website"], "bench",
                    loc["register_id"], "actief", True, loc["register_url"],
                    loc["inspection_url"], loc["search_key"], loc["code"], *scores,
                    created, created))
        with cur.copy("COPY participations (id, location_id, signed_on, ended_on, note, "
                      "created_at) FROM STDIN") as copy:
            for loc, joined in zip(locations, starts, strict=True):
                copy.write_row((loc["id"], loc["id"], joined.date() - timedelta(days=30), None,
                                "", created))
        pick_response = Weighted([("approved", 85), ("in_moderation", 10), ("rejected", 5)], rng)
        with cur.copy("COPY responses (id, rating_id, status, text, created_at, approved_at) "
                      "FROM STDIN") as copy:
            for n, (rating_id, at) in enumerate(responses, start=1):
                status = pick_response()
                written = at + timedelta(days=1 + rng.random() * 9)
                copy.write_row((n, rating_id, status, rng.choice(RESPONSES), written,
                                written + timedelta(days=1) if status == "approved" else None))
        lap("COPY organisations, locations, participations, responses")
        for table in ("organisations", "locations", "participations", "ratings", "responses",
                      "rating_answers", "rating_events"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))")
        conn.commit()

    with psycopg.connect(libpq(url, args.template), autocommit=True) as conn:
        # Frozen and with hint bits set, as a long-running database is: the first benchmark
        # run then does not pay for writing them on its reads.
        conn.execute("VACUUM (FREEZE, ANALYZE)")
        lap("VACUUM (FREEZE, ANALYZE)")
        verify(conn, args)
        lap("checks")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                            ).fetchone()[0]
    with admin_connection(url) as conn:
        conn.execute(f'ALTER DATABASE "{args.template}" IS_TEMPLATE true')
    print(f"  template {args.template} is ready: {size}, "
          f"{sum(timings.values()):.0f} s in all")
    return timings


CHECKS = {
    "score counters add up to the published ratings": """
        SELECT (SELECT sum(score_1_count + score_2_count + score_3_count + score_4_count
                           + score_5_count) FROM locations)
             = (SELECT count(*) FROM ratings WHERE status = 'published')""",
    "each location: counters = counts per score": """
        SELECT count(*) = 0 FROM locations l LEFT JOIN (
            SELECT location_id,
                   count(*) FILTER (WHERE overall_score = 1) AS s1,
                   count(*) FILTER (WHERE overall_score = 2) AS s2,
                   count(*) FILTER (WHERE overall_score = 3) AS s3,
                   count(*) FILTER (WHERE overall_score = 4) AS s4,
                   count(*) FILTER (WHERE overall_score = 5) AS s5
            FROM ratings WHERE status = 'published' GROUP BY location_id) c
          ON c.location_id = l.id
        WHERE (l.score_1_count, l.score_2_count, l.score_3_count, l.score_4_count,
               l.score_5_count)
           <> (coalesce(c.s1, 0), coalesce(c.s2, 0), coalesce(c.s3, 0), coalesce(c.s4, 0),
               coalesce(c.s5, 0))""",
    "ranks are 1..n in published_at order": """
        SELECT count(*) = 0 FROM (
            SELECT publication_rank,
                   row_number() OVER (PARTITION BY location_id ORDER BY published_at, id) AS n
            FROM ratings WHERE status = 'published') r
        WHERE publication_rank IS DISTINCT FROM n""",
    "only published ratings have a rank": """
        SELECT count(*) = 0 FROM ratings
        WHERE (status = 'published') <> (publication_rank IS NOT NULL)""",
    "every rating entered its status at a known time; published ones when published": """
        SELECT count(*) = 0 FROM ratings
        WHERE status_changed_at IS NULL
           OR (status = 'published' AND status_changed_at <> published_at)""",
    "waiting and approved ratings: 8 answers of their sector's current themes": """
        SELECT count(*) = 0 FROM ratings r JOIN locations l ON l.id = r.location_id
        WHERE r.status IN ('in_moderation', 'approved') AND (
            SELECT count(*) FROM rating_answers a JOIN themes t ON t.id = a.theme_id
            WHERE a.rating_id = r.id AND t.sector_id = l.sector_id AND t.is_current) <> 8""",
    "waiting ratings: created, draft -> submitted -> in_moderation at confirmed_at": """
        SELECT count(*) = 0 FROM ratings r
        WHERE r.status = 'in_moderation' AND (
            r.status_changed_at <> r.confirmed_at OR r.decided_at IS NOT NULL
            OR (SELECT string_agg(coalesce(e.from_status, '') || '>' || e.to_status, ' '
                                  ORDER BY e.at, e.id)
                FROM rating_events e WHERE e.rating_id = r.id)
               IS DISTINCT FROM '>draft draft>submitted submitted>in_moderation'
            OR NOT EXISTS (SELECT 1 FROM rating_events e WHERE e.rating_id = r.id
                           AND e.to_status = 'in_moderation' AND e.at = r.confirmed_at))""",
    "approved ratings: opt-in, an address, decided when approved, and the editor's event": """
        SELECT count(*) = 0 FROM ratings r
        WHERE r.status = 'approved' AND (
            r.decided_at IS DISTINCT FROM r.status_changed_at OR r.email IS NULL
            OR r.publication_policy IS DISTINCT FROM 'opt_in'
            OR (SELECT string_agg(coalesce(e.from_status, '') || '>' || e.to_status, ' '
                                  ORDER BY e.at, e.id)
                FROM rating_events e WHERE e.rating_id = r.id)
               IS DISTINCT FROM
               '>draft draft>submitted submitted>in_moderation in_moderation>approved'
            OR NOT EXISTS (SELECT 1 FROM rating_events e WHERE e.rating_id = r.id
                           AND e.to_status = 'approved' AND e.at = r.decided_at
                           AND e.actor_type = 'editor' AND e.actor_id IS NOT NULL))""",
    "no row points at a missing row": """
        SELECT (SELECT count(*) FROM ratings r
                WHERE NOT EXISTS (SELECT 1 FROM locations l WHERE l.id = r.location_id))
             + (SELECT count(*) FROM responses s
                WHERE NOT EXISTS (SELECT 1 FROM ratings r WHERE r.id = s.rating_id))
             + (SELECT count(*) FROM locations l
                WHERE NOT EXISTS (SELECT 1 FROM organisations o
                                  WHERE o.id = l.organisation_id)) = 0""",
}


def verify(conn, args):
    """Check the invariants the app relies on; stop with a message when one fails."""
    failed = [name for name, sql in CHECKS.items() if not conn.execute(sql).fetchone()[0]]
    published = conn.execute("SELECT count(*) FROM ratings WHERE status = 'published'"
                             ).fetchone()[0]
    big_count, big_rank = conn.execute(
        "SELECT count(*), max(publication_rank) FROM ratings "
        "WHERE location_id = 1 AND status = 'published'").fetchone()
    listed = conn.execute("""
        SELECT count(*) FROM locations l
        WHERE in_register AND register_status = 'actief' AND EXISTS (
            SELECT 1 FROM participations p WHERE p.location_id = l.id
            AND p.signed_on <= current_date AND (p.ended_on IS NULL
                                                 OR p.ended_on > current_date))""").fetchone()[0]
    if published != args.ratings:
        failed.append(f"{published:,} published ratings instead of {args.ratings:,}")
    if not big_count == big_rank == args.big:
        failed.append(f"the big location has {big_count:,} ratings, highest rank {big_rank:,}")
    if listed != args.locations:
        failed.append(f"{listed:,} of {args.locations:,} locations are listed")
    reference = datetime.fromisoformat(conn.execute(
        f"SELECT value FROM {INFO_SCHEMA}.info WHERE key = 'now'").fetchone()[0])
    low, high = APPROVED_DAYS
    queue = conn.execute(
        "SELECT count(*), min(confirmed_at), max(confirmed_at), count(DISTINCT location_id), "
        "count(*) FILTER (WHERE location_id = 1), "
        "count(repeat_of_id), "
        "count(*) FILTER (WHERE experience_text ~ '0470 12 34 56'), "
        "count(*) FILTER (WHERE experience_text LIKE '%@voorbeeld.be%'), "
        "count(*) FILTER (WHERE experience_text LIKE '%Els Peeters%') "
        "FROM ratings WHERE status = 'in_moderation'").fetchone()
    per_sector = dict(conn.execute(
        "SELECT s.slug, count(*) FROM ratings r JOIN locations l ON l.id = r.location_id "
        "JOIN sectors s ON s.id = l.sector_id WHERE r.status = 'in_moderation' "
        "GROUP BY s.slug").fetchall())
    approved, oldest, newest = conn.execute(
        "SELECT count(*), min(status_changed_at), max(status_changed_at) FROM ratings "
        "WHERE status = 'approved'").fetchone()
    busiest = conn.execute(
        "SELECT count(*) FROM ratings WHERE status IN ('in_moderation', 'approved') "
        "GROUP BY email ORDER BY count(*) DESC LIMIT 1").fetchone()
    waiting, first, last, queue_locations, big_queue, repeats, phones, emails, names = queue
    if waiting != args.queue:
        failed.append(f"{waiting:,} ratings in moderation instead of {args.queue:,}")
    if waiting and (first < reference - timedelta(days=QUEUE_DAYS, minutes=1) or last > reference
                    or len(per_sector) != 4 or queue_locations < min(args.locations // 2, 1000)
                    or not (repeats and phones and emails and names)):
        failed.append(f"the queue is not spread as meant: confirmed {first}..{last}, sectors "
                      f"{per_sector}, {queue_locations} locations, {repeats} repeats, texts "
                      f"with a phone {phones}, an address {emails}, a name {names}")
    if approved != args.approved:
        failed.append(f"{approved:,} approved ratings instead of {args.approved:,}")
    if approved and not (reference - timedelta(days=high) <= oldest
                         and newest <= reference - timedelta(days=low)):
        failed.append(f"approvals from {oldest} to {newest}, not {low}-{high} days before "
                      f"{reference}")
    if failed:
        sys.exit("The fill is wrong, the template is not marked ready:\n  " + "\n  ".join(failed))
    print(f"  checks hold: {waiting:,} waiting (per sector {per_sector}, on {queue_locations:,} "
          f"locations, {big_queue:,} for the big one, {repeats:,} repeats, an address used up "
          f"to {busiest[0] if busiest else 0} times), {approved:,} approved {low}-{high} days "
          f"before {reference:%Y-%m-%d %H:%M}")
    print(f"  checks hold: {published:,} published ratings = the counters; big location "
          f"{big_count:,} ratings, ranks 1..{big_rank:,}; {listed:,} locations listed")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("WDP_BENCH_URL", DEFAULT_URL),
                        help="SQLAlchemy URL of the server's maintenance database")
    parser.add_argument("--rebuild", action="store_true", help="fill again even if ready")
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--locations", type=int, default=N_LOCATIONS)
    parser.add_argument("--ratings", type=int, default=N_PUBLISHED, help="published ratings")
    parser.add_argument("--big", type=int, default=N_BIG,
                        help="published ratings of the one big location")
    parser.add_argument("--queue", type=int, default=N_QUEUE,
                        help="ratings waiting in moderation")
    parser.add_argument("--approved", type=int, default=N_APPROVED,
                        help="approved ratings due for their first reminder")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    if args.big > args.ratings or args.locations < 2:
        parser.error("the big location needs --big <= --ratings and one other location")
    url = make_url(args.url)
    free = check_free_space(PGDATA if manages_cluster(url) else Path("/"))
    ensure_cluster(url)
    with admin_connection(url) as conn:
        data_directory = Path(conn.execute("SHOW data_directory").fetchone()[0])
    free = check_free_space(data_directory)
    state = template_state(url, args.template)
    if state == "ready" and not args.rebuild:
        print(f"{args.template} is ready (migrations at head); --rebuild fills it again.")
        return
    if state in ("unfinished", "stale"):
        print(f"{args.template} is {state}: filling it again.")
    print(f"Filling {args.template}: {args.locations:,} locations, {args.ratings:,} published "
          f"ratings ({free / 1024**3:.0f} GB free)")
    fill(url, args)


if __name__ == "__main__":
    main()
