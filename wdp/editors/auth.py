"""Who is signed in: the wdp_editor cookie, its server-side session, the required decorators."""
import functools

from flask import current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from wdp.editors import operations as ops
from wdp.extensions import db

COOKIE = "wdp_editor"
COOKIE_PATH = "/redactie/"


def set_session_cookie(response, raw):
    # No max_age: the cookie ends with the browser; the server ends the session itself.
    response.set_cookie(COOKIE, raw, path=COOKIE_PATH, httponly=True, samesite="Lax",
                        secure=current_app.config["WDP_BASE_URL"].startswith("https://"))
    return response


def forget_session_cookie(response):
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Lax",
                           secure=current_app.config["WDP_BASE_URL"].startswith("https://"))
    return response


def load_editor():
    """Set g.editor and g.editor_session from the cookie; end a session that may not go on.

    Returns the reason a session just ended ("idle", "age", "disabled"), or None.
    """
    g.editor = g.editor_session = None
    editor_session = ops.find_session(request.cookies.get(COOKIE))
    if editor_session is None:
        return None
    reason = ops.session_end_reason(editor_session)
    if reason:
        ops.end_session(editor_session, reason)
        db.session.commit()
        return reason
    if ops.touch_session(editor_session):
        # At most once a minute; otherwise nothing to commit, and the loaded session and
        # editor stay loaded for the view (a commit would expire them: more queries).
        db.session.commit()
    g.editor, g.editor_session = editor_session.editor, editor_session
    return None


def safe_next(target):
    """Only a path inside the editors' part of the site is followed after sign-in."""
    if (target and target.startswith(COOKIE_PATH) and "//" not in target
            and "\\" not in target and all(c.isprintable() for c in target)):
        return target
    return None


def _to_sign_in(reason):
    if reason == "idle":
        flash(_("Je was te lang niet actief. Meld je opnieuw aan."))
    elif reason == "age":
        flash(_("Je was lang aangemeld. Meld je opnieuw aan."))
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    response = redirect(url_for("editors.sign_in", volgende=safe_next(target)))
    return forget_session_cookie(response) if reason else response


def editor_required(view):
    """Only a signed-in editor (or admin) may open the view; others go to the sign-in page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        reason = load_editor()
        if g.editor is None:
            return _to_sign_in(reason)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Only a signed-in admin may open the view; an editor gets a page that says so."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        reason = load_editor()
        if g.editor is None:
            return _to_sign_in(reason)
        if not g.editor.is_admin:
            return make_response(render_template("editors/forbidden.html"), 403)
        return view(*args, **kwargs)

    return wrapped
