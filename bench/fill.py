"""Fill a PostgreSQL template database with 10,000 locations and 1,000,000 published ratings.

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
- a response to 5% of the published ratings, most of them approved.
No rating answers and no rating events: no page measured here reads them, and 8 answers per
rating would add 8,000,000 rows and minutes of filling without changing a single measurement.
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
UNPUBLISHED_STATUSES = [("in_moderation", 30), ("rejected", 30), ("withdrawn", 20),
                        ("removed", 5), ("not_published", 15)]


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


def fill(url, args):
    from flask_migrate import upgrade

    from wdp import create_app
    from wdp.extensions import db
    from wdp.sectors.models import LocationKind, Sector
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
                          "publication_rank")
        with cur.copy(f"COPY ratings ({rating_columns}) FROM STDIN") as copy:
            for rating_id, (seconds, location_id, score, status) in enumerate(ratings, start=1):
                at = start + timedelta(seconds=seconds)
                submitted = at - timedelta(hours=2 + rng.random() * 70)
                published_at, rank, erased_at = None, None, None
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
                    erased_at = at + timedelta(days=30 + rng.random() * 300)
                if erased_at is None:
                    sentences = rng.randint(0, 4)
                    text = " ".join(rng.choice(SENTENCES) for _ in range(sentences))
                    email = f"r{rating_id}@voorbeeld.test"
                else:
                    text, email = "", None
                copy.write_row((rating_id, location_id, status, pick_role(), pick_language(),
                                score, text, email, rating_reference(rating_id),
                                submitted - timedelta(minutes=15), submitted,
                                submitted + timedelta(minutes=5 + rng.random() * 600),
                                published_at, erased_at, rank))
        lap("COPY ratings")
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
        for table in ("organisations", "locations", "participations", "ratings", "responses"):
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
    if failed:
        sys.exit("The fill is wrong, the template is not marked ready:\n  " + "\n  ".join(failed))
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
