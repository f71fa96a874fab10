"""The widget and the promotion pages in real Chromium: axe-core at 1280 and 320 px, the widget
framed by another website (and every other page refused there), the keyboard in the frame."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll
from tests.factories import make_location, make_rating
from wdp.extensions import db


@pytest.fixture
def place(app):
    with app.app_context():
        location = make_location(name="WZC De Linde", organisation="Zorggroep Linde")
        for n in range(12):
            make_rating(location, score=n % 5 + 1, text=f"Een ervaring nummer {n}. " * 4,
                        response="Dank je voor je waardering. Kom gerust eens langs." if n % 4 == 0
                        else None)
        empty = make_location(name="Kinderdagverblijf Het Nestje", sector="kinderopvang")
        db.session.commit()
        return {"code": location.code, "empty": empty.code}


def _scan(axe, page, label):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_widget_explanation_and_promotion_pages_pass_axe(page, live_server, axe, place):
    pages = {
        "widget": f"/widget/{place['code']}",
        "widget without ratings": f"/widget/{place['empty']}",
        "widget of an unknown location": "/widget/zzzzzz",
        "widget explanation": f"/widget/{place['code']}/uitleg",
        "promotion page": f"/promotie/{place['code']}/",
    }
    for label, url in pages.items():
        page.goto(live_server + url)
        _scan(axe, page, label)
    # The explanation's live preview is the widget itself, in a frame with a title.
    page.goto(f"{live_server}/widget/{place['code']}/uitleg")
    frame = page.frame_locator("main iframe")
    assert frame.locator("h1").inner_text() == "Wat onze gebruikers zeggen"


@pytest.fixture
def other_site():
    """Another website on loopback (http://localhost:<its port>: another origin and another
    site than the live server's http://127.0.0.1). Chromium's local network checks refuse a
    public page framing 127.0.0.1, so the host page must really come from loopback too."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://localhost:{server.server_port}"
    server.shutdown()
    server.server_close()


def _embed(page, live_server, other_site, path):
    """Open a page of the other website that puts `path` of WDP in an iframe."""
    pages, origin = other_site
    pages["/"] = (f'<!doctype html><html lang="nl"><title>Zorggroep Linde</title><body>'
                  f'<h1>Welkom</h1><iframe id="wdp" title="Waarderingen op WDP" '
                  f'src="{live_server}{path}" width="600" height="700"></iframe></body></html>')
    with page.expect_response(lambda r: r.url == f"{live_server}{path}"):
        page.goto(origin + "/")
    page.wait_for_load_state("load")


def test_another_website_can_frame_the_widget_and_use_it_by_keyboard(page, live_server, place,
                                                                   other_site):
    _embed(page, live_server, other_site, f"/widget/{place['code']}")
    [child] = page.main_frame.child_frames
    assert child.url == f"{live_server}/widget/{place['code']}"
    frame = page.frame_locator("#wdp")
    assert frame.locator("h1").inner_text() == "Wat onze gebruikers zeggen"
    assert frame.locator("ol.widget-ratings > li").count() == 5
    # Tab from the host page into the frame reaches the link to the full page on WDP.
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.frame(url=f"{live_server}/widget/{place['code']}").evaluate(
            "document.activeElement && document.activeElement.textContent")
        if focused and "Lees alle 12 waarderingen op WDP" in focused:
            break
    else:
        raise AssertionError("Tab never reached the link to WDP inside the frame")
    with page.context.expect_page() as new_window:
        page.keyboard.press("Enter")
    opened = new_window.value
    opened.wait_for_load_state()
    assert opened.url.startswith(f"{live_server}/ouderenzorg/locatie/")
    assert opened.locator("h1").inner_text() == "WZC De Linde"


@pytest.mark.parametrize("path", ["/widget/{code}/uitleg", "/promotie/{code}/", "/"])
def test_another_website_cannot_frame_any_other_page(page, live_server, place, other_site, path):
    _embed(page, live_server, other_site, path.format(code=place["code"]))
    # Chromium refuses the frame and shows its own error page in it instead.
    [frame] = page.main_frame.child_frames
    assert frame.url == "chrome-error://chromewebdata/"
    assert frame.locator("main#main").count() == 0
