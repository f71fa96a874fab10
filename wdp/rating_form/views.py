"""Views of the rating form: start, one question a page, check, stop, mailbox and confirmation."""
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from wdp.extensions import db, limiter
from wdp.kept import current_themes
from wdp.locations.queries import listed_location
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition
from wdp.publication.policy import CONSENT, current_policy
from wdp.rating_form import operations as ops
from wdp.rating_form.forms import (
    UNKNOWN,
    ChangeEmailForm,
    ConfirmForm,
    ConsentSubmitForm,
    EmailForm,
    ExperienceForm,
    OverallForm,
    RoleForm,
    StopForm,
    SubmitForm,
    ThemeForm,
)
from wdp.rating_form.models import Rating
from wdp.rating_form.steps import (
    ALL_STEPS,
    CHECK_STEP,
    HELPER_ROLES,
    QUESTION_STEPS,
    THEME_COUNT,
    next_step,
    previous_step,
    question_number,
    role_options,
    speaks_to_user,
)
from wdp.tokens import find_token

bp = Blueprint("rating_form", __name__)
COOKIE = "wdp_draft"


def _limit(name):
    return lambda: current_app.config[name]


def _listed_location(code):
    location = listed_location(code)
    if location is None:
        abort(404)
    return location


def _current_draft():
    """The draft of this browser, while its location may still be rated."""
    draft = ops.find_draft(request.cookies.get(COOKIE))
    if draft is not None and not draft.rating_id and not draft.location_listed:
        return None
    return draft


def _no_draft():
    return make_response(render_template("rating_form/no_draft.html"), 404)


def _private(response):
    """Pages of a draft or a link: never cached, never leaking the address in a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/w/<code>")
def start(code):
    """Explain the rating form for one location (the short link on posters and cards)."""
    location = _listed_location(code)
    draft = _current_draft()
    open_draft = draft if draft and not draft.rating_id else None
    return _private(make_response(render_template(
        "rating_form/start.html", location=location, sector=location.sector,
        form=StopForm(), open_draft=open_draft)))


@bp.post("/w/<code>")
@limiter.limit(_limit("WDP_RATELIMIT_FORM_START"))
def begin(code):
    """Start a new draft for the location and go to the first question."""
    location = _listed_location(code)
    form = StopForm()
    if not form.validate_on_submit():
        abort(400)
    old = _current_draft()
    if old is not None and not old.rating_id:
        if old.location_id == location.id:
            # The start page offered "continue": a second click on Begin must not wipe it.
            return redirect(url_for("rating_form.step", step=CHECK_STEP))
        # The start page warned that this replaces the other location's answers.
        ops.count_step(old.location.sector_id,
                       ops.missing_step(old, current_themes(old.location.sector_id)) or CHECK_STEP,
                       "stops")
        ops.delete_draft(old)
    draft, raw = ops.start_draft(location, g.lang)
    db.session.commit()
    response = redirect(url_for("rating_form.step", step="rol"))
    response.set_cookie(COOKIE, raw, max_age=current_app.config["WDP_DRAFT_DAYS"] * 86400,
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _theme_for(step, themes):
    number = int(step.split("-")[1])
    return themes[number - 1]


def _form_for(step, draft, themes, formdata):
    """The step's form, filled from the draft on GET and from the request on POST."""
    sector = draft.location.sector
    if step == "rol":
        form = RoleForm(formdata=formdata, data={"role": draft.role})
        form.set_choices(role_options(sector.slug))
    elif step.startswith("thema-"):
        theme = _theme_for(step, themes)
        saved = (draft.answers or {}).get(theme.key, {})
        score = saved.get("score")
        score = UNKNOWN if saved and score is None else (str(score) if score else None)
        form = ThemeForm(formdata=formdata, data={"score": score, "text": saved.get("text", "")})
    elif step == "score":
        form = OverallForm(formdata=formdata, data={
            "score": str(draft.overall_score) if draft.overall_score else None})
    elif step == "ervaring":
        form = ExperienceForm(formdata=formdata, data={"text": draft.experience_text or ""})
    else:
        form = EmailForm(formdata=formdata, data={"email": draft.email, "agree": draft.agreed})
    return form


def _save(step, draft, themes, form):
    if step == "rol":
        draft.role = form.role.data
    elif step.startswith("thema-"):
        ops.save_theme_answer(draft, _theme_for(step, themes), form.score.data, form.text.data)
    elif step == "score":
        draft.overall_score = int(form.score.data)
    elif step == "ervaring":
        draft.experience_text = form.text.data
    else:
        draft.email = form.email.data
        draft.agreed = True


def _step_context(step, draft, themes, form):
    sector = draft.location.sector
    returning = request.args.get("terug") == CHECK_STEP
    previous = previous_step(step)
    if returning:
        back = url_for("rating_form.step", step=CHECK_STEP)
    elif previous:
        back = url_for("rating_form.step", step=previous)
    else:
        back = url_for("rating_form.start", code=draft.location.code)
    context = {
        "step": step, "draft": draft, "form": form, "location": draft.location, "sector": sector,
        "back_url": back, "returning": returning,
        "number": question_number(step), "total": len(QUESTION_STEPS),
        "self_wording": speaks_to_user(sector.slug, draft.role),
        "helper_role": draft.role in HELPER_ROLES,
        "lang": g.lang,
    }
    if step == "rol":
        context["options"] = role_options(sector.slug)
    if step.startswith("thema-"):
        context["theme"] = _theme_for(step, themes)
    return context


@bp.route("/waardering/<step>", methods=["GET", "POST"])
def step(step):
    """Ask one question of the form; a POST saves the answer and goes on."""
    if step not in ALL_STEPS:
        abort(404)
    draft = _current_draft()
    if draft is None:
        return _no_draft()
    if draft.rating_id:
        return redirect(url_for("rating_form.sent"))
    themes = current_themes(draft.location.sector_id)
    if len(themes) != THEME_COUNT:
        abort(404)
    missing = ops.missing_step(draft, themes)
    if missing and ALL_STEPS.index(step) > ALL_STEPS.index(missing):
        # A step posted or opened out of order: go to the first unanswered question.
        return redirect(url_for("rating_form.step", step=missing))
    if step == CHECK_STEP:
        if request.method == "POST":
            abort(405)
        return _check(draft, themes)
    if step == "email" and draft.revises_rating_id:
        # The address of a rating being changed was confirmed already; it stays.
        return redirect(url_for("rating_form.step", step=CHECK_STEP))
    sector_id = draft.location.sector_id
    form = _form_for(step, draft, themes, request.form if request.method == "POST" else None)
    if request.method == "POST":
        if step == "email" and form.website.data:
            # Only a robot fills the hidden field: drop the draft and act as if all went well.
            ops.delete_draft(draft)
            db.session.commit()
            return _forget_cookie(redirect(url_for("rating_form.stopped")))
        if form.validate_on_submit():
            _save(step, draft, themes, form)
            ops.count_step(sector_id, step, "completions")
            db.session.commit()
            returning = request.args.get("terug") == CHECK_STEP
            target = CHECK_STEP if returning else next_step(step)
            return redirect(url_for("rating_form.step", step=target))
    page = render_template(f"rating_form/step_{step.split('-')[0]}.html",
                           **_step_context(step, draft, themes, form))
    if request.method == "GET":
        # Counted after rendering: the commit expires every loaded object.
        ops.count_step(sector_id, step, "views")
        db.session.commit()
    return _private(make_response(page))


def _asks_consent(draft, policy):
    """Under the "consent at submission" policy a new rating asks whether it may go online
    as soon as it is approved (a changed rating keeps the answer it was sent with)."""
    return policy == CONSENT and not draft.revises_rating_id


def _check(draft, themes, form=None, policy=None):
    """Show every answer with a change link, and send the rating.

    With a form (a refused send) the page shows its errors and the view is not counted again.
    """
    counted = form is None
    policy = policy or current_policy()
    if form is None:
        form = ConsentSubmitForm(formdata=None) if _asks_consent(draft, policy) else SubmitForm()
    sector = draft.location.sector
    answers = [(number, theme, (draft.answers or {}).get(theme.key, {}))
               for number, theme in enumerate(themes, start=1)]
    options = {value: label for value, label, _hint in role_options(sector.slug)}
    page = render_template(
        "rating_form/check.html", draft=draft, form=form, location=draft.location, sector=sector,
        answers=answers, role_label=options.get(draft.role), lang=g.lang,
        back_url=url_for("rating_form.step", step="email"),
        self_wording=speaks_to_user(sector.slug, draft.role), policy=policy)
    if counted:
        ops.count_step(sector.id, CHECK_STEP, "views")
        db.session.commit()
    return _private(make_response(page))


@bp.post("/waardering/versturen")
@limiter.limit(_limit("WDP_RATELIMIT_FORM_SUBMIT"))
def submit():
    """Send the checked answers: the rating waits for its e-mail confirmation."""
    draft = _current_draft()
    if draft is None:
        return _no_draft()
    if draft.rating_id:
        # A double submit: the first one counted, show its mailbox page.
        return redirect(url_for("rating_form.sent"))
    themes = current_themes(draft.location.sector_id)
    missing = ops.missing_step(draft, themes)
    if missing:
        return redirect(url_for("rating_form.step", step=missing))
    policy = current_policy()
    asks_consent = _asks_consent(draft, policy)
    form = ConsentSubmitForm() if asks_consent else SubmitForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors or not asks_consent:
            abort(400)
        return _check(draft, themes, form, policy)
    # Asked only under the consent policy; otherwise it stays None ("not asked").
    consent = form.consent if asks_consent else None
    if draft.revises_rating_id:
        if not ops.claim_draft(draft):
            db.session.rollback()
            return redirect(url_for("rating_form.sent"))
        draft.publish_consent = consent
        try:
            ops.resubmit_draft(draft)
        except (ConcurrentTransition, IllegalTransition):
            db.session.rollback()
            return redirect(url_for("rating_form.sent"))
        ops.count_step(draft.location.sector_id, CHECK_STEP, "completions")
        db.session.commit()
        return redirect(url_for("rating_form.sent"))
    sector_id = draft.location.sector_id
    if ops.submit_draft(draft, g.lang, consent) is None:
        # Another submit of this draft (a double click) took it first.
        db.session.rollback()
        return redirect(url_for("rating_form.sent"))
    ops.count_step(sector_id, CHECK_STEP, "completions")
    db.session.commit()
    # From now on the cookie ends with the browser: on a shared tablet the next person
    # cannot reach this rating's mailbox page.
    response = redirect(url_for("rating_form.sent"))
    response.set_cookie(COOKIE, request.cookies[COOKIE], httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _forget_cookie(response):
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax")
    return response


@bp.route("/waardering/stoppen", methods=["GET", "POST"])
def stop():
    """Ask once whether to stop; stopping deletes the draft and is counted for its step."""
    draft = _current_draft()
    if draft is None or draft.rating_id:
        return redirect(url_for("rating_form.stopped"))
    from_step = request.args.get("stap")
    from_step = from_step if from_step in ALL_STEPS else "rol"
    form = StopForm()
    if form.validate_on_submit():
        ops.count_step(draft.location.sector_id, from_step, "stops")
        ops.delete_draft(draft)
        db.session.commit()
        return _forget_cookie(redirect(url_for("rating_form.stopped")))
    return _private(make_response(render_template(
        "rating_form/stop.html", form=form, draft=draft, location=draft.location,
        sector=draft.location.sector,
        back_url=url_for("rating_form.step", step=from_step), from_step=from_step)))


@bp.get("/waardering/gestopt")
def stopped():
    """Thank the person after stopping."""
    return render_template("rating_form/stopped.html")


def _submitted_rating():
    draft = _current_draft()
    if draft is None or draft.rating is None:
        return None
    return draft.rating


@bp.get("/waardering/verstuurd")
def sent():
    """Ask the person to look in their mailbox, with a way to resend or correct the address."""
    rating = _submitted_rating()
    if rating is None:
        return _no_draft()
    return _sent_page(rating, ChangeEmailForm(formdata=None), resent=request.args.get("opnieuw"))


def _sent_page(rating, change_form, resent=None, status=200):
    if rating.versions_count:
        return _private(make_response(render_template(
            "rating_form/resubmitted.html", rating=rating, location=rating.location,
            sector=rating.location.sector)))
    return _private(make_response(render_template(
        "rating_form/sent.html", rating=rating, masked=ops.mask_email(rating.email or "x@x.x"),
        change_form=change_form, resend_form=ConfirmForm(formdata=None), resent=resent,
        confirmed=rating.status != "submitted", location=rating.location,
        sector=rating.location.sector, form=change_form), status))


@bp.post("/waardering/opnieuw-sturen")
def resend():
    """Send the confirmation mail again (a new link replaces the old one)."""
    rating = _submitted_rating()
    if rating is None:
        return _no_draft()
    form = ConfirmForm()
    if not form.validate_on_submit() or rating.status != "submitted":
        return redirect(url_for("rating_form.sent"))
    if not ops.may_send_confirmation(rating):
        return redirect(url_for("rating_form.sent", opnieuw="te-vaak"))
    ops.send_confirmation(rating)
    db.session.commit()
    return redirect(url_for("rating_form.sent", opnieuw="ja"))


@bp.post("/waardering/ander-adres")
def change_address():
    """Correct the e-mail address and send a new confirmation link to it."""
    rating = _submitted_rating()
    if rating is None:
        return _no_draft()
    if rating.status != "submitted":
        return redirect(url_for("rating_form.sent"))
    form = ChangeEmailForm()
    if not form.validate_on_submit():
        return _sent_page(rating, form)
    if not ops.may_send_confirmation(rating):
        return redirect(url_for("rating_form.sent", opnieuw="te-vaak"))
    ops.change_email(rating, form.email.data)
    db.session.commit()
    return redirect(url_for("rating_form.sent", opnieuw="ja"))


@bp.route("/bevestig/<token>", methods=["GET", "POST"])
def confirm(token):
    """Show one button; only the POST confirms (mail scanners open links, they do not post)."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome, rating = ops.confirm_rating(token)
        db.session.commit()
        if outcome == "confirmed":
            session["confirmed_reference"] = rating.reference
            return _private(redirect(url_for("rating_form.confirmed")))
        return _private(make_response(render_template(
            "rating_form/link_problem.html", outcome=outcome, rating=rating), 410))
    found = find_token(token, ops.CONFIRM)
    if found is None or found.state != "valid":
        rating = db.session.get(Rating, found.subject_id) if found else None
        outcome = "unknown" if found is None else (
            "already" if rating and rating.confirmed_at else "expired")
        return _private(make_response(render_template(
            "rating_form/link_problem.html", outcome=outcome, rating=rating), 410))
    return _private(make_response(render_template("rating_form/confirm.html", form=form)))


@bp.get("/bevestigd")
def confirmed():
    """Say that the rating is confirmed and what happens next."""
    reference = session.get("confirmed_reference")
    if not reference:
        return redirect(url_for("pages.home"))
    return _private(make_response(render_template("rating_form/confirmed.html",
                                                  reference=reference)))


@bp.route("/aanpassen/<token>", methods=["GET", "POST"])
def revise(token):
    """Open a rating the editors asked to change: one button, then the check page."""
    rating, problem = ops.revisable_rating(token)
    if problem:
        return _private(make_response(render_template(
            "rating_form/revise_problem.html", problem=problem), 410))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        old = _current_draft()
        if old is not None and not old.rating_id:
            ops.delete_draft(old)
        draft, raw = ops.draft_from_rating(rating, rating.language)
        db.session.commit()
        response = redirect(url_for("rating_form.step", step=CHECK_STEP))
        response.set_cookie(COOKIE, raw, max_age=current_app.config["WDP_DRAFT_DAYS"] * 86400,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return _private(response)
    message = ops.last_editor_message(rating)
    return _private(make_response(render_template(
        "rating_form/revise.html", form=form, rating=rating, message=message,
        location=rating.location, sector=rating.location.sector)))
