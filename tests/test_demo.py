"""The demo command: a fresh, seeded database that the site shows and the counters agree with."""
from sqlalchemy import func, select

from tests.conftest import checked_page
from tests.factories import make_location
from wdp.demo import DEMO_TODAY
from wdp.extensions import db
from wdp.locations.models import Location, is_listed
from wdp.moderation.models import RatingEvent
from wdp.organisations.models import Response
from wdp.rating_form.models import Rating
from wdp.sectors.catalog import KIND_BY_SLUG
from wdp.sectors.models import LocationKind, Sector

SMALL = ("--locations", "30", "--ratings", "80")


def run_demo(app, *options):
    result = app.test_cli_runner().invoke(args=["demo", *options])
    assert result.exit_code == 0, result.output
    return result


def fingerprint():
    """What a visitor sees of the demo: names, codes, addresses, scores, texts and responses."""
    locations = db.session.execute(
        select(Location.code, Location.name, Location.municipality, Location.register_status,
               Location.score_1_count, Location.score_2_count, Location.score_3_count,
               Location.score_4_count, Location.score_5_count)
        .order_by(Location.code)).all()
    ratings = db.session.execute(
        select(Location.code, Rating.reference, Rating.overall_score, Rating.role,
               Rating.experience_text, Rating.publication_rank, Rating.published_at,
               Response.text)
        .join(Location, Rating.location_id == Location.id)
        .outerjoin(Response, Response.rating_id == Rating.id)
        .order_by(Rating.reference)).all()
    return [tuple(row) for row in locations], [tuple(row) for row in ratings]


def in_app(app, read):
    with app.app_context():
        try:
            return read()
        finally:
            db.session.remove()


def test_demo_fills_every_sector_and_kind_the_same_way_for_the_same_seed(app):
    result = run_demo(app, "--seed", "7", *SMALL)
    assert "kinderopvang" in result.output  # the summary per sector
    first = in_app(app, fingerprint)
    run_demo(app, "--seed", "7", *SMALL)
    assert in_app(app, fingerprint) == first

    with app.app_context():
        assert sorted(db.session.scalars(select(Sector.slug))) == [
            "handicap", "jeugdhulp", "kinderopvang", "ouderenzorg"]
        per_kind = dict(db.session.execute(
            select(LocationKind.slug, func.count(Location.id))
            .join(Location, Location.kind_id == LocationKind.id).group_by(LocationKind.slug)
        ).all())
        assert set(per_kind) == set(KIND_BY_SLUG)
        assert sum(per_kind.values()) == 30
        assert db.session.scalar(select(func.count(Rating.id)).where(
            Rating.status == "published")) == 80
        assert db.session.scalar(select(func.count(Rating.id))) == 80
        statuses = set(db.session.scalars(select(Location.register_status)))
        assert statuses == {"actief", "in onderzoek", "stopgezet"}
        assert set(db.session.scalars(select(Location.register_source))) == {"demo"}
        emails = db.session.scalars(select(Rating.email)).all()
        assert all(e.endswith("@demo.example") for e in emails)
        assert db.session.scalar(select(func.count(Response.id)).where(
            Response.status == "approved", Response.approved_at.is_not(None))) > 0
        # Dated from the fixed demo day, never from the wall clock.
        assert db.session.scalar(select(func.max(RatingEvent.at))) <= DEMO_TODAY
        db.session.remove()

    run_demo(app, "--seed", "8", "--locations", "30", "--ratings", "0")
    assert in_app(app, fingerprint)[0] != first[0]


def test_demo_counters_and_ranks_match_a_recount_of_published_ratings(app):
    run_demo(app, *SMALL)
    with app.app_context():
        recount = {}
        for location_id, score, n in db.session.execute(
                select(Rating.location_id, Rating.overall_score, func.count())
                .where(Rating.status == "published")
                .group_by(Rating.location_id, Rating.overall_score)):
            recount.setdefault(location_id, {})[score] = n
        published = []
        for location in db.session.scalars(select(Location)):
            assert location.score_counts() == {
                s: recount.get(location.id, {}).get(s, 0) for s in range(1, 6)}, location.name
            ranked = db.session.execute(
                select(Rating.publication_rank, Rating.published_at)
                .where(Rating.location_id == location.id, Rating.status == "published")
                .order_by(Rating.publication_rank)).all()
            assert [rank for rank, _ in ranked] == list(range(1, len(ranked) + 1))
            assert [at for _, at in ranked] == sorted(at for _, at in ranked)
            published.append(len(ranked))
        # One busy location (pagination) and some with too few ratings for an average.
        assert max(published) > 10
        assert {1, 2} <= set(published)
        db.session.remove()


def test_demo_locations_show_on_the_site_unless_stopped(app, client):
    run_demo(app, *SMALL)

    def listed_and_stopped():
        first_listed = db.session.scalar(
            select(Location.name).join(Sector).where(Sector.slug == "ouderenzorg", is_listed())
            .order_by(Location.name, Location.id))
        stopped = db.session.execute(
            select(Location.id, Sector.slug).join(Sector)
            .where(Location.register_status == "stopgezet")).first()
        return first_listed, stopped

    first_listed, (stopped_id, stopped_sector) = in_app(app, listed_and_stopped)
    soup = checked_page(client, "/ouderenzorg/zoeken?q=")
    assert first_listed in [a.get_text(strip=True) for a in soup.select(".location-card h3 a")]
    checked_page(client, f"/{stopped_sector}/locatie/{stopped_id}", status=404)


def test_demo_refuses_to_empty_a_database_with_real_locations(app):
    with app.app_context():
        make_location(name="WZC Echt")
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["demo", *SMALL])
    assert result.exit_code != 0 and "--force" in result.output
    assert in_app(app, lambda: db.session.scalars(select(Location.name)).all()) == ["WZC Echt"]
    run_demo(app, "--force", "--locations", "20", "--ratings", "0")
    assert in_app(app, lambda: db.session.scalar(select(func.count(Location.id)).where(
        Location.name == "WZC Echt"))) == 0


def test_demo_gives_a_working_organisation_link_and_response_history(app, client):
    result = run_demo(app, "--seed", "3", *SMALL)
    link = result.output.strip().splitlines()[-1].strip()
    assert "/organisatie/link/" in link
    opened = client.get(link.removeprefix("http://wdp.test"))
    assert opened.status_code == 303
    page = client.get(opened.headers["Location"])
    assert page.status_code == 200
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    home = client.post(opened.headers["Location"], data={"csrf_token": csrf})
    assert home.status_code == 303
    checked_page(client, home.headers["Location"])

    def read():
        from wdp.organisations.models import ResponseEvent, SignUp
        responses = db.session.scalar(select(func.count(Response.id)))
        without_history = db.session.scalar(select(func.count(Response.id)).where(
            ~select(ResponseEvent.id).where(ResponseEvent.response_id == Response.id).exists()))
        unsubmitted = db.session.scalar(select(func.count(Response.id)).where(
            Response.submitted_at.is_(None)))
        return responses, without_history, unsubmitted, db.session.scalar(
            select(func.count(SignUp.id)))
    responses, without_history, unsubmitted, sign_ups = in_app(app, read)
    assert responses > 0 and without_history == 0 and unsubmitted == 0
    assert sign_ups == 2
