"""Poster and card PDFs: how long one takes to generate (issue 7: a poster under 2 seconds).

    /work/venv/bin/python bench/promotion.py [--runs 10]

Builds a throwaway SQLite database with the migrations, adds one listed location, then asks
the app (its test client, so the whole request: query, template, QR code, WeasyPrint) for
the poster and the card sheet --runs times each, with the app's PDF cache emptied before
every request so each one is generated anew. The first request of the process (fonts and
WeasyPrint's imports warming up) is shown apart and left out of the median. Prints the median
and the slowest run; exits 1 when the poster's median is 2 seconds or more.
"""
import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 2.0


def build_app(folder):
    from flask_migrate import upgrade

    from wdp import create_app
    url = "sqlite:///" + str(Path(folder) / "bench.sqlite")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "WDP_BASE_URL": "https://www.waarderingsplatform.be"})
    with app.app_context():
        upgrade()
        from wdp.extensions import db
        from wdp.locations.models import Location, Organisation
        from wdp.locations.operations import start_participation
        from wdp.sectors.models import Sector
        from wdp.sectors.operations import seed_reference_data
        seed_reference_data()
        sector = db.session.scalar(db.select(Sector).where(Sector.slug == "ouderenzorg"))
        location = Location(
            sector=sector, kind=sector.kinds[0], organisation=Organisation(name="Zorggroep Bench"),
            name="Woonzorgcentrum Sint-Jozef – Oostende", street="Kerkstraat 1", postcode="8400",
            municipality="Oostende", register_source="bench", register_id="B1",
            register_status="actief", code="bench1")
        db.session.add(location)
        db.session.flush()
        start_participation(location, date(2025, 1, 1))
        db.session.commit()
    return app


def measure(client, url, runs):
    from wdp.promotion.views import _cached_pdf
    times = []
    for _ in range(runs):
        _cached_pdf.cache_clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), url
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wdp-bench-promotion-") as folder:
        app = build_app(folder)
        client = app.test_client()
        first = measure(client, "/promotie/bench1/affiche.pdf", 1)[0]
        print(f"first poster of the process (warm-up): {first:.3f} s")
        failed = False
        for label, url in (("poster", "/promotie/bench1/affiche.pdf"),
                           ("cards", "/promotie/bench1/kaartjes.pdf")):
            times = measure(client, url, args.runs)
            median = statistics.median(times)
            print(f"{label}: median {median:.3f} s, slowest {max(times):.3f} s "
                  f"over {args.runs} runs")
            if label == "poster" and median >= TARGET_SECONDS:
                failed = True
        print(f"target: poster median under {TARGET_SECONDS:.0f} s: {'MISSED' if failed else 'met'}")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
