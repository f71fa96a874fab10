"""The editors' pages under /redactie/: sign-in, second factor, start page, sign-out, passwords."""
import hashlib
import logging
from datetime import datetime

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from wdp.clock import now
from wdp.editors import operations as ops
from wdp.editors.auth import (
    editor_required,
    forget_session_cookie,
    load_editor,
    safe_next,
    set_session_cookie,
)
from wdp.editors.forms import (
    ChangePasswordForm,
    CodeForm,
    EnrolForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SignInForm,
    SignOutForm,
)
from wdp.editors.models import Editor
from wdp.extensions import db, limiter

bp = Blueprint("editors", __name__, url_prefix="/redactie")
log = logging.getLogger("wdp.editors")

#: the Flask session key of a password sign-in waiting for its second factor
PENDING = "editor_sign_in"
#: CSS pixels per QR module: easy to scan, and narrow enough for a 320 px screen
QR_SCALE = 4


def _sign_in_limit():
    return current_app.config["WDP_RATELIMIT_EDITOR_SIGN_IN"]


@bp.after_request
def _never_cached(response):
    """Editors' pages show private data: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _wrong_combination():
    return _("Dit e-mailadres en wachtwoord horen niet bij elkaar.")


def _locked_message(minutes):
    return ngettext(
        "Je hebt te vaak een verkeerd wachtwoord of een verkeerde code ingevuld. "
        "Wacht %(num)s minuut en probeer het dan opnieuw.",
        "Je hebt te vaak een verkeerd wachtwoord of een verkeerde code ingevuld. "
        "Wacht %(num)s minuten en probeer het dan opnieuw.", minutes)


def _password_check(editor):
    """Ties a waiting sign-in to the password it passed: a new password cancels it."""
    return hashlib.sha256((editor.password_hash or "").encode()).hexdigest()[:16]


@bp.route("/aanmelden", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    """Check the e-mail address and password, then ask for the second factor."""
    load_editor()
    if g.editor is not None:
        return redirect(url_for("editors.start"))
    next_url = safe_next(request.args.get("volgende"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data
        locked = ops.minutes_locked(email)
        editor = None if locked else ops.check_password(email, form.password.data)
        if editor is not None:
            if editor.enrolled_at is None:
                ops.start_enrolment(editor)
            session[PENDING] = {"editor_id": editor.id, "started_at": now().isoformat(),
                                "check": _password_check(editor), "next": next_url}
            log.info("editor %s passed the password step", editor.id)
            db.session.commit()
            return redirect(url_for("editors.second_factor"))
        if not locked:
            log.info("password sign-in failed for address %s", ops.log_address(email))
            locked = ops.record_failure(email)
        else:
            log.info("sign-in refused for locked address %s", ops.log_address(email))
        db.session.commit()
        form.email.errors.append(_locked_message(locked) if locked else _wrong_combination())
    form.password.data = ""
    return render_template("editors/sign_in.html", form=form, next_url=next_url)


def _pending_editor():
    """The editor whose password sign-in waits for a second factor, or None."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    editor = db.session.get(Editor, pending.get("editor_id"))
    started = datetime.fromisoformat(pending.get("started_at", "2000-01-01"))
    if (editor is None or not editor.is_active or started <= now() - ops.SECOND_FACTOR_TIME
            or pending.get("check") != _password_check(editor)):
        session.pop(PENDING, None)
        return None
    return editor


def _code_failed(editor, field, outcome):
    log.info("second factor failed for editor %s (%s)", editor.id, outcome)
    locked = ops.record_failure(editor.email)
    db.session.commit()
    if locked:
        field.errors.append(_locked_message(locked))
    elif outcome == ops.TOTP_USED:
        field.errors.append(_("Deze code is al gebruikt. Wacht tot je app een nieuwe code "
                              "toont en vul die in."))
    else:
        field.errors.append(_("Deze code klopt niet. Vul de code in die je app nu toont."))


def _finish_sign_in(editor, method):
    """Create the session after both factors: (the cookie's value, where to go next)."""
    pending = session.pop(PENDING, {})
    raw = ops.start_session(editor, method)
    db.session.commit()
    return raw, safe_next(pending.get("next")) or url_for("editors.start")


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def second_factor():
    """Ask for the code of the authenticator app (or a recovery code); enrol first if needed."""
    editor = _pending_editor()
    if editor is None:
        flash(_("Meld je eerst aan met je e-mailadres en wachtwoord."))
        return redirect(url_for("editors.sign_in"))
    if editor.enrolled_at is None:
        return _enrol(editor)
    form = CodeForm()
    if form.validate_on_submit():
        locked = ops.minutes_locked(editor.email)
        if locked:
            form.code.errors.append(_locked_message(locked))
        else:
            code = form.code.data
            if ops.is_totp_shape(code):
                outcome, method = ops.verify_totp(editor, code), "app code"
            else:
                outcome = ops.TOTP_OK if ops.use_recovery_code(editor, code) else ops.TOTP_WRONG
                method = "recovery code"
            if outcome == ops.TOTP_OK:
                raw, target = _finish_sign_in(editor, method)
                return set_session_cookie(redirect(target), raw)
            _code_failed(editor, form.code, outcome)
    return render_template("editors/code.html", form=form)


def _enrol(editor):
    """Show the QR code and key of a new second factor; a first good code confirms it."""
    if editor.totp_secret is None:
        ops.start_enrolment(editor)
        db.session.commit()
    form = EnrolForm()
    if form.validate_on_submit():
        locked = ops.minutes_locked(editor.email)
        if locked:
            form.code.errors.append(_locked_message(locked))
        else:
            outcome, codes = ops.confirm_enrolment(editor, form.code.data)
            if outcome == ops.TOTP_OK:
                raw, target = _finish_sign_in(editor, "enrolment")
                # The codes exist only in this response: they are stored hashed.
                return set_session_cookie(make_response(render_template(
                    "editors/recovery_codes.html", codes=codes, next_url=target)), raw)
            _code_failed(editor, form.code, outcome)
    qr = segno.make(ops.provisioning_uri(editor), error="m")
    secret = editor.totp_secret
    return render_template(
        "editors/enrol.html", form=form,
        qr=qr.svg_data_uri(scale=QR_SCALE, border=4, dark="#000", light="#fff"),
        qr_size=qr.symbol_size(scale=QR_SCALE, border=4)[0],
        key_groups=[secret[i:i + 4] for i in range(0, len(secret), 4)])


@bp.get("/")
@editor_required
def start():
    """Welcome the signed-in editor."""
    return render_template("editors/start.html", sign_out_form=SignOutForm())


@bp.post("/afmelden")
@editor_required
def sign_out():
    """End the editor's session on the server and forget the cookie."""
    if SignOutForm().validate_on_submit():
        ops.end_session(g.editor_session, "sign-out")
        db.session.commit()
        flash(_("Je bent afgemeld."))
        return forget_session_cookie(redirect(url_for("editors.sign_in")))
    return redirect(url_for("editors.start"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def forgot_password():
    """Mail a link to choose a new password; the answer is the same for every address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data, g.lang)
        db.session.commit()
        return redirect(url_for("editors.reset_sent"))
    return render_template("editors/forgot_password.html", form=form)


@bp.get("/wachtwoord-vergeten/verstuurd")
def reset_sent():
    """Tell the person to look in their mailbox."""
    return render_template("editors/reset_sent.html")


def _link_page(response):
    """Pages opened from a link with a token: never cached, the token never in a referrer."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
def new_password(token):
    """Choose a new password through a mailed link; it works once, and ends every session."""
    editor = ops.password_link_editor(token)
    if editor is None:
        return _link_page(make_response(render_template("editors/link_problem.html"), 410))
    form = NewPasswordForm()
    if form.validate_on_submit():
        if ops.set_password_with_link(token, form.password.data) is None:
            db.session.rollback()
            return _link_page(make_response(render_template("editors/link_problem.html"), 410))
        db.session.commit()
        flash(_("Je nieuwe wachtwoord is opgeslagen. Meld je aan."))
        return _link_page(redirect(url_for("editors.sign_in")))
    form.password.data = form.password_again.data = ""
    return _link_page(make_response(render_template(
        "editors/new_password.html", form=form, editor=editor,
        min_length=ops.MIN_PASSWORD_LENGTH)))


@bp.route("/wachtwoord-wijzigen", methods=["GET", "POST"])
@editor_required
def change_password():
    """Change the password; the editor's other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        editor = g.editor
        locked = ops.minutes_locked(editor.email)
        if locked:
            form.current_password.errors.append(_locked_message(locked))
        elif ops.check_password(editor.email, form.current_password.data) is None:
            ops.record_failure(editor.email)
            log.info("password change refused for editor %s: wrong password", editor.id)
            db.session.commit()
            form.current_password.errors.append(_(
                "Dit is niet je huidige wachtwoord. Vul het wachtwoord in waarmee je je "
                "aanmeldde."))
        else:
            ops.set_password(editor, form.password.data, keep_session=g.editor_session)
            db.session.commit()
            flash(_("Je wachtwoord is gewijzigd."))
            return redirect(url_for("editors.start"))
    form.current_password.data = form.password.data = form.password_again.data = ""
    return render_template("editors/change_password.html", form=form,
                           min_length=ops.MIN_PASSWORD_LENGTH)
