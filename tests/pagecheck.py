"""Load a page with the test client and check what every page must get right."""
import re
from collections import Counter

from bs4 import BeautifulSoup


def check_page(soup):
    h1s = soup.select("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    title = soup.title.get_text(" ", strip=True)
    h1 = " ".join(h1s[0].get_text(" ", strip=True).split())
    # "Fout: " / "Erreur : " / "Error: " and "Vraag 3 van 12: " may come before the h1.
    bare = " ".join(title.split())
    for _ in range(2):
        if bare.startswith(h1):
            break
        bare = re.sub(r"^[^:]{1,40}?\s?:\s", "", bare, count=1)
    assert bare.startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
    assert soup.html.get("lang") in {"nl", "fr", "en"}
    ids = Counter(el["id"] for el in soup.select("[id]"))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in soup.select("form"):
        if form.get("method", "get").lower() == "post":
            assert form.get("action"), "a POST form without an action"
        assert form.has_attr("novalidate"), "every form validates on the server only"
    assert soup.select_one("a.skip-link[href='#main']") and soup.select_one("main#main")


def checked_page(client, url, status=200, **kwargs):
    """GET url, assert the status and the page rules, return the parsed page."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code)
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup
