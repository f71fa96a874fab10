"""Every route is listed in tests/route-list.json, so a removed or added URL shows in review."""
import json
from pathlib import Path

ROUTE_LIST = Path(__file__).with_name("route-list.json")


def current_routes(app):
    return sorted(f"{','.join(sorted(r.methods - {'HEAD', 'OPTIONS'}))} {r.rule} -> {r.endpoint}"
                  for r in app.url_map.iter_rules())


def test_route_list_is_current(app):
    routes = current_routes(app)
    if not ROUTE_LIST.exists():
        ROUTE_LIST.write_text(json.dumps(routes, indent=1) + "\n")
        raise AssertionError("tests/route-list.json written: review it, commit it, rerun")
    assert json.loads(ROUTE_LIST.read_text()) == routes, (
        "routes changed: delete tests/route-list.json, rerun, and review the diff")
