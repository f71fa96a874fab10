"""The inbox in real Chromium: three decisions by keyboard alone with and without JavaScript,
and axe-core on the overview and the item page (with and without errors) at 1280 and 320 px."""
import pytest

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.browser.test_editors import enter_code_by_keyboard, sign_in_by_keyboard
from tests.editors.helpers import make_editor
from tests.moderation.test_inbox import add_waiting
from wdp.extensions import db
from wdp.rating_form.models import Rating


def button(label):
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === '{label}'"


def decide_three_by_keyboard(page, live_server, app, clock):
    _, secret = make_editor(app)
    ids = [add_waiting(app, clock, minutes_ago=minutes) for minutes in (300, 200, 100)]
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    tab_to(page, "el.textContent.trim() === 'Naar de inbox'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/inbox")
    tab_to(page, button("Volgende in Ouderenzorg"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/inbox/{ids[0]}")

    tab_to(page, button("Goedkeuren"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/inbox/{ids[1]}")
    assert page.locator("[role=status]").inner_text() == "Beslissing bewaard: goedgekeurd"

    tab_to(page, "el.id === 'reasons-0'")
    page.keyboard.press("Space")
    tab_to(page, button("Afwijzen"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/inbox/{ids[2]}")
    assert page.locator("[role=status]").inner_text() == "Beslissing bewaard: afgewezen"

    tab_to(page, "el.id === 'changes_message'")
    page.keyboard.press("Control+A")
    page.keyboard.type("Laat de naam van de verpleegster weg.")
    tab_to(page, button("Vraag een aanpassing"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/inbox")
    assert "Beslissing bewaard: aanpassing gevraagd" in page.locator("[role=status]").inner_text()

    with app.app_context():
        statuses = [db.session.get(Rating, i).status for i in ids]
        messages = db.session.get(Rating, ids[2])
        assert statuses == ["approved", "rejected", "changes_requested"]
        from wdp.moderation.queries import history
        assert history(messages)[-1].message == "Laat de naam van de verpleegster weg."


def test_three_decisions_by_keyboard_with_javascript(page, live_server, app, clock):
    decide_three_by_keyboard(page, live_server, app, clock)


def test_three_decisions_by_keyboard_without_javascript(nojs_page, live_server, app, clock):
    decide_three_by_keyboard(nojs_page, live_server, app, clock)


@pytest.mark.parametrize("width", [1280, 320])
def test_inbox_pages_pass_axe_and_fit(page, live_server, app, clock, axe, width):
    page.set_viewport_size({"width": width, "height": 900})

    def check(label):
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")

    _, secret = make_editor(app)
    first = add_waiting(app, clock, text="Verpleegster Els van Dam belt 0470 12 34 56. Zie "
                        "www.voorbeeld-blog.be of mail naar een.heel.lang.adres@voorbeeld.test.")
    add_waiting(app, clock, email="iemand.met.een.lang.adres@voorbeeld.test",
                sector="kinderopvang")
    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", "anna@redactie.test")
    page.fill("#password", "paard batterij nietje correct")
    page.click("button:has-text('Aanmelden')")
    page.wait_for_url("**/redactie/code")
    page.fill("#code", clock.code(secret))
    page.click("button:has-text('Aanmelden')")
    page.wait_for_url("**/redactie/")
    check("start page")
    page.goto(f"{live_server}/redactie/inbox")
    check("overview")
    page.click("button:has-text('Volgende in Ouderenzorg')")
    page.wait_for_url(f"**/redactie/inbox/{first}")
    assert page.locator("mark").count() == 4
    check("item page")
    page.click("button:has-text('Afwijzen')")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: ")
    check("item page with errors")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "reasons-0"


@pytest.mark.parametrize("width", [1280, 320])
def test_reports_withdrawal_and_search_pass_axe(page, live_server, app, clock, axe, width):
    from tests.moderation.test_followup import reported_rating
    page.set_viewport_size({"width": width, "height": 900})
    _, secret = make_editor(app)
    rating_id, _ = reported_rating(app)
    approved_id = add_waiting(app, clock)
    with app.app_context():
        from wdp.moderation.workflow import transition
        transition(db.session.get(Rating, approved_id), "approved", actor_type="system")
        db.session.commit()
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    page.goto(f"{live_server}/redactie/inbox/{rating_id}")
    assert_accessible(axe, page, f"reported item {width}")
    page.click("button:has-text('Haal de waardering van de site')")
    page.wait_for_selector(".error-summary")
    assert_accessible(axe, page, f"remove error {width}")
    assert_no_sideways_scroll(page, f"remove error {width}")
    page.goto(f"{live_server}/redactie/inbox/{approved_id}")
    page.click("button:has-text('Trek de goedkeuring in')")
    page.wait_for_selector(".error-summary")
    assert_accessible(axe, page, f"withdraw error {width}")
    page.goto(f"{live_server}/redactie/inbox/zoeken?q=W-MELD01")
    assert_accessible(axe, page, f"search {width}")
    assert_no_sideways_scroll(page, f"search {width}")


def test_with_htmx_a_decision_swaps_in_the_next_item_and_shortcuts_move_focus(
        page, live_server, app, clock):
    _, secret = make_editor(app)
    first, second = (add_waiting(app, clock, minutes_ago=m) for m in (300, 200))
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    page.goto(f"{live_server}/redactie/inbox")
    page.keyboard.press("v")
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "Volgende uit alle sectoren")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/inbox/{first}")
    assert "Nog 2 waarderingen wachten" in page.locator(".queue-left").inner_text()
    page.evaluate("window.__marker = 'no reload'")
    page.keyboard.press("b")
    assert page.evaluate("document.activeElement.id") == "decision"
    page.click("button[value=approved]")
    page.wait_for_url(f"**/redactie/inbox/{second}")
    page.wait_for_selector(".queue-left:has-text('Nog 1 waardering wacht')")
    assert page.evaluate("window.__marker") == "no reload", "htmx swapped, no full page load"
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.title().startswith(f"Waardering W-T{second:05d}")
    assert "Beslissing bewaard: goedgekeurd" in page.locator("[role=status]").inner_text()
    # switched off, the keys do nothing
    page.goto(f"{live_server}/redactie/inbox")
    page.click("summary:has-text('Sneltoetsen')")
    page.uncheck("#shortcuts-on")
    page.goto(f"{live_server}/redactie/inbox/{second}")
    page.keyboard.press("b")
    assert page.evaluate("document.activeElement.id") != "decision"
    with app.app_context():
        assert db.session.get(Rating, first).status == "approved"
