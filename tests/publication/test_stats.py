"""Time to publication per sector on the editors' inbox: medians, 90th percentiles and the
archived share over the last 30 days, from known ratings walked through the state machine."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_location
from tests.moderation.conftest import signed_in  # noqa: F401  (fixture)
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.workflow import transition
from wdp.publication import stats
from wdp.rating_form.models import Rating

NOW = datetime(2026, 3, 31, 12, 0)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def walk(clock, location, start, *moves):
    """A rating submitted at `start`, then each (offset after start, status) in turn."""
    rating = Rating(location=location, role="self", overall_score=4, experience_text="Goed.",
                    email="iemand@voorbeeld.test")
    db.session.add(rating)
    clock.set(start)
    transition(rating, "draft", actor_type="submitter")
    transition(rating, "submitted", actor_type="submitter")
    rating.submitted_at = start
    for offset, status in moves:
        clock.set(start + offset)
        if status == "in_moderation" and rating.confirmed_at is None:
            rating.confirmed_at = start + offset
        transition(rating, status, actor_type="system")
        db.session.flush()
    return rating


CONFIRM = (HOUR, "in_moderation")


@pytest.fixture
def known_data(app, clock):
    """Ouderenzorg has known figures; kinderopvang has none; the clock ends at NOW."""
    with app.app_context():
        home = make_location(sector="ouderenzorg", name="Het Anker")
        make_location(sector="kinderopvang")
        start = NOW - 10 * DAY
        # Published in the window after 2 days 4 hours, 1 day (then withdrawn) and 4 days;
        # decided 23 hours, 11 hours and 5 hours after confirmation.
        walk(clock, home, start, CONFIRM, (DAY, "approved"), (2 * DAY + 4 * HOUR, "published"))
        walk(clock, home, start, CONFIRM, (12 * HOUR, "approved"), (DAY, "published"),
             (3 * DAY, "withdrawn"))
        walk(clock, home, start, CONFIRM, (6 * HOUR, "approved"), (4 * DAY, "published"))
        # Published 40 days ago and withdrawn in the window: outside both durations.
        walk(clock, home, NOW - 45 * DAY, CONFIRM, (DAY, "approved"), (5 * DAY, "published"),
             (44 * DAY, "withdrawn"))
        # Rejected 2 hours after confirmation: a decision, no publication.
        walk(clock, home, start, CONFIRM, (3 * HOUR, "rejected"))
        # Approved and archived, approved and not published, archived then published anyway.
        walk(clock, home, NOW - 25 * DAY, CONFIRM, (2 * HOUR, "approved"), (21 * DAY, "archived"))
        walk(clock, home, start, CONFIRM, (2 * HOUR, "approved"), (2 * DAY, "not_published"))
        walk(clock, home, NOW - 28 * DAY, CONFIRM, (2 * HOUR, "approved"),
             (21 * DAY, "archived"), (26 * DAY, "published"))
        # Sent back and archived without an edit: not an approved rating.
        walk(clock, home, NOW - 25 * DAY, CONFIRM, (2 * HOUR, "changes_requested"),
             (21 * DAY, "archived"))
        # Still waiting for the editors, and one decided 31 days ago.
        walk(clock, home, start, CONFIRM)
        walk(clock, home, NOW - 40 * DAY, CONFIRM, (9 * DAY, "rejected"))
        db.session.commit()
    clock.set(NOW)
    # Figures cached by an earlier test at the same moment would hide these.
    stats.clear_cache()


def test_figures_per_sector_from_known_data(app, known_data):
    with app.app_context():
        figures = {row.slug: row for row in stats.time_to_publication()}
    assert list(figures) == ["ouderenzorg", "kinderopvang", "jeugdhulp", "handicap"]
    home = figures["ouderenzorg"]
    # Submission to publication: 1 day, 2 days 4 h, 4 days and 26 days (archived, then
    # published anyway); the one published 40 days ago is out.
    assert home.to_publication.count == 4
    assert home.to_publication.median == (2 * DAY + 4 * HOUR + 4 * DAY) / 2
    assert home.to_publication.p90.total_seconds() == pytest.approx(
        (4 * DAY + 0.7 * (22 * DAY)).total_seconds())
    # Confirmation to decision: 23 h, 11 h, 5 h, 2 h (rejected) and 1 h four times (the two
    # archived approvals, the one not published, the one sent back); the decisions of 31
    # and 44 days ago are out, the rating still waiting has none.
    assert home.to_decision.count == 8
    assert home.to_decision.median == HOUR * 1.5
    assert home.to_decision.p90.total_seconds() == pytest.approx(
        (11 * HOUR + 0.3 * (12 * HOUR)).total_seconds())
    # Approvals that ended in the window: 3 published, 1 not published, 2 archived (the
    # one archived and published later counts as archived: its wait ended in the archive).
    # The approval that ended 40 days ago and the sent-back rating that was archived do
    # not count.
    assert (home.archived, home.approvals_ended) == (2, 6)
    assert home.archived_share == pytest.approx(1 / 3)
    empty = figures["kinderopvang"]
    assert empty.to_publication == stats.Durations(0, None, None)
    assert empty.to_decision == stats.Durations(0, None, None)
    assert empty.archived_share is None


def test_the_window_moves_with_the_clock(app, known_data, clock):
    clock.set(NOW + 31 * DAY)
    with app.app_context():
        home = stats.time_to_publication()[0]
    assert home.to_publication.count == home.to_decision.count == home.approvals_ended == 0


def test_the_inbox_shows_the_table_with_words_and_the_definition(app, known_data, signed_in):  # noqa: F811
    soup = checked_page(signed_in, "/redactie/inbox")
    table = soup.select_one("table.figures")
    assert table.caption.get_text(strip=True) == (
        "Tijd tot publicatie per sector, laatste 30 dagen")
    assert [th["scope"] for th in table.select("thead th")] == [
        "colgroup", "colgroup", "col", "col", "col", "col", "col"]
    assert all(th["scope"] == "row" for th in table.select("tbody th"))
    region = soup.select_one(".table-scroll")
    assert region["tabindex"] == "0" and region["aria-labelledby"] == "figures-caption"

    def cells(slug):
        return [" ".join(td.get_text(" ", strip=True).split())
                for td in table.select(f"#figures-{slug} td")]

    assert cells("ouderenzorg") == ["3 dagen 2 uur", "19 dagen 10 uur", "1 uur 30 minuten",
                                    "14 uur 36 minuten", "2 van 6 (33 %)"]
    assert cells("kinderopvang") == ["— geen gegevens"] * 5
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "Gearchiveerd na goedkeuring: we nemen de goedgekeurde waarderingen" in text


def test_the_start_page_keeps_the_figures_for_a_few_minutes(app, known_data, clock):
    with app.app_context():
        first = stats.recent_figures()
        home = db.session.scalars(select(Location).where(Location.name == "Het Anker")).one()
        walk(clock, home, NOW - 2 * DAY, CONFIRM,
             (2 * HOUR, "approved"), (DAY, "published"))
        db.session.commit()
        clock.set(NOW + timedelta(seconds=app.config["WDP_FIGURES_CACHE_SECONDS"] - 1))
        assert stats.recent_figures() is first
        clock.set(NOW + timedelta(seconds=app.config["WDP_FIGURES_CACHE_SECONDS"]))
        assert stats.recent_figures()[0].to_publication.count == 5
        saved = app.config["WDP_FIGURES_CACHE_SECONDS"]
        app.config["WDP_FIGURES_CACHE_SECONDS"] = 0
        try:
            assert stats.recent_figures() is not stats.recent_figures()
        finally:
            app.config["WDP_FIGURES_CACHE_SECONDS"] = saved


@pytest.mark.parametrize(("delta", "words"), [
    (None, "—"),
    (timedelta(seconds=20), "minder dan een minuut"),
    (timedelta(minutes=1), "1 minuut"),
    (timedelta(minutes=59, seconds=20), "59 minuten"),
    (timedelta(minutes=59, seconds=40), "1 uur"),
    (timedelta(hours=1, minutes=1), "1 uur 1 minuut"),
    (timedelta(hours=23, minutes=29), "23 uur 29 minuten"),
    (timedelta(hours=23, minutes=31), "1 dag"),
    (timedelta(days=2, hours=4, minutes=10), "2 dagen 4 uur"),
    (timedelta(days=1, hours=23, minutes=45), "2 dagen"),
])
def test_durations_in_words(app, delta, words):
    with app.test_request_context():
        assert stats.duration_in_words(delta) == words


def test_percentile_interpolates_like_percentile_cont():
    assert stats.percentile([], 0.5) is None
    assert stats.percentile([5], 0.9) == 5
    assert stats.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert stats.percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == 91
