"""What the rating queue and the response queue of the inbox share: headers, "Volgende"."""
from flask import abort, flash, g, redirect, request, url_for

from wdp.editors.auth import editor_required
from wdp.extensions import db
from wdp.moderation.forms import NextForm
from wdp.sectors.queries import sector_or_404


def inbox_blueprint(bp):
    """Give an inbox blueprint the headers every inbox page needs."""

    @bp.after_request
    def _htmx_history(response):
        """After htmx followed a decision's redirect, show the page's own address."""
        if (request.headers.get("HX-Request") and request.method == "GET"
                and response.status_code == 200):
            response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
        return response

    @bp.after_request
    def _never_cached(response):
        # Submitters' e-mail addresses and texts: no copies in shared caches or the back button.
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


class Queue:
    """One queue of the inbox: how to reserve its next item, and where that item is shown.

    ``claim(editor_id, sector_id or None)`` reserves the oldest free item and returns its id
    (None when nothing waits); ``empty(sector or None)`` says that nothing waits.
    """

    def __init__(self, bp, claim, item_endpoint, id_name, empty):
        self.claim, self.item_endpoint, self.id_name, self.empty = (
            claim, item_endpoint, id_name, empty)

        @bp.post("/volgende", endpoint="next_item")
        @editor_required
        def next_item():
            """Reserve the oldest free item (of one sector or of all) and open it."""
            if not NextForm().validate_on_submit():
                abort(400)
            slug = request.form.get("sector")
            return self.open_next(sector_or_404(slug) if slug else None)

    def open_next(self, sector):
        """Reserve the next item of the sector (or of all) and go there; or back to the
        overview with a message when nothing waits."""
        item_id = self.claim(g.editor.id, sector.id if sector else None)
        db.session.commit()
        if item_id is None:
            flash(self.empty(sector))
            return redirect(url_for("moderation.overview"))
        return redirect(url_for(self.item_endpoint, **{self.id_name: item_id}))
