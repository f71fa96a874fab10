"""The admin pages under /redactie/beheer: editors, reasons, messages, themes, publication policy."""
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from wdp.admin import operations as ops
from wdp.admin import queries
from wdp.admin.forms import (
    LANGUAGE_NAMES,
    TEMPLATE_LIMIT,
    THEME_LIMITS,
    ActionForm,
    MoveForm,
    NewEditorForm,
    PublicationPolicyForm,
    ReasonForm,
    RoleForm,
    SwitchForm,
    TemplateForm,
    ThemeForm,
)
from wdp.editors.auth import admin_required
from wdp.editors.models import Editor
from wdp.editors.operations import find_editor
from wdp.extensions import db
from wdp.moderation.models import Reason
from wdp.publication.policy import POLICIES
from wdp.sectors.queries import current_themes, sector_or_404, sectors_by_slug

bp = Blueprint("admin", __name__, url_prefix="/redactie/beheer")


@bp.after_request
def _forget_kept_copies(response):
    """After an admin's change, this worker reads themes, reasons and templates afresh at once
    (the other workers within WDP_SETTINGS_CACHE_SECONDS)."""
    from flask import request

    from wdp import kept
    if request.method == "POST":
        kept.forget()
    return response

TEMPLATE_KEYS = ("rejected", "changes_requested", "removed", "signal")


def template_names():
    return {"rejected": _("Afgewezen"), "changes_requested": _("Vraag om aan te passen"),
            "removed": _("Van de site gehaald"),
            "signal": _("Signaal aan het agentschap")}


@bp.after_request
def _never_cached(response):
    """Admin pages show private data: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@admin_required
def index():
    """List what an admin can manage."""
    return render_template("admin/index.html")


# -- editors ----------------------------------------------------------------------------------

def _editor_or_404(editor_id):
    return db.get_or_404(Editor, editor_id, description="Deze redacteur bestaat niet.")


@bp.get("/redacteurs")
@admin_required
def editors():
    """List every editor account, without any password or second-factor data."""
    return render_template("admin/editors.html", editors=queries.editors())


@bp.route("/redacteurs/nieuw", methods=["GET", "POST"])
@admin_required
def new_editor():
    """Create an editor account and mail them a link to choose a password."""
    form = NewEditorForm()
    if form.validate_on_submit():
        if find_editor(form.email.data) is not None:
            form.email.errors.append(_("Er is al een account met dit e-mailadres. Vul een "
                                       "ander e-mailadres in."))
        else:
            try:
                editor = ops.invite_editor(g.editor, form.name.data, form.email.data,
                                           form.role.data)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.email.errors.append(_("Er is al een account met dit e-mailadres. Vul "
                                           "een ander e-mailadres in."))
            else:
                flash(_("%(name)s kreeg een e-mail met een link om een wachtwoord te kiezen. "
                        "De link werkt 24 uur en maar één keer.", name=editor.name))
                return redirect(url_for("admin.editor", editor_id=editor.id))
    return render_template("admin/new_editor.html", form=form)


def _editor_page(editor, role_form=None, status=200):
    role_form = role_form or RoleForm(formdata=None, role=editor.role)
    return render_template("admin/editor.html", editor=editor, form=role_form,
                           action_form=ActionForm()), status


@bp.get("/redacteurs/<int:editor_id>")
@admin_required
def editor(editor_id):
    """Show one account with its role and the buttons to change it."""
    return _editor_page(_editor_or_404(editor_id))


@bp.post("/redacteurs/<int:editor_id>/rol")
@admin_required
def change_role(editor_id):
    """Give an editor another role."""
    editor = _editor_or_404(editor_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            ops.change_role(g.editor, editor, form.role.data, _(
                "Je kunt jezelf geen andere rol geven. Vraag het aan een andere beheerder."))
        except ops.AdminRefused as refused:
            form.role.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("De rol van %(name)s is opgeslagen.", name=editor.name))
            return redirect(url_for("admin.editor", editor_id=editor.id))
    return _editor_page(editor, form)


def _account_action(editor_id, change, done):
    """Run one button's change on an account, then show the account with a message."""
    editor = _editor_or_404(editor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change(editor)
    except ops.AdminRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return redirect(url_for("admin.editor", editor_id=editor.id))
    db.session.commit()
    flash(done % {"name": editor.name})
    return redirect(url_for("admin.editor", editor_id=editor.id))


@bp.post("/redacteurs/<int:editor_id>/uitschakelen")
@admin_required
def disable_editor(editor_id):
    """Disable an account: the editor is signed out everywhere and cannot sign in."""
    return _account_action(editor_id, lambda editor: ops.disable(g.editor, editor, _(
        "Je kunt je eigen account niet uitschakelen. Vraag het aan een andere beheerder.")),
        _("Het account van %(name)s is uitgeschakeld. Deze persoon is overal afgemeld."))


@bp.post("/redacteurs/<int:editor_id>/inschakelen")
@admin_required
def enable_editor(editor_id):
    """Let a disabled editor sign in again."""
    return _account_action(editor_id, lambda editor: ops.enable(g.editor, editor),
                           _("Het account van %(name)s werkt weer."))


@bp.post("/redacteurs/<int:editor_id>/tweede-stap")
@admin_required
def reset_second_factor(editor_id):
    """Clear the editor's authenticator key and recovery codes; they enrol again."""
    editor = _editor_or_404(editor_id)
    if editor.id == g.editor.id:
        # Their own session ends too: after the reset they sign in and enrol again.
        if not ActionForm().validate_on_submit():
            abort(400)
        ops.reset_second_factor(g.editor, editor)
        db.session.commit()
        flash(_("Je tweede stap is gewist. Meld je aan en koppel je telefoon opnieuw."))
        return redirect(url_for("editors.sign_in"))
    return _account_action(editor_id, lambda editor: ops.reset_second_factor(g.editor, editor),
                           _("De tweede stap van %(name)s is gewist. Deze persoon is overal "
                             "afgemeld en koppelt bij de volgende aanmelding opnieuw een "
                             "telefoon."))


# -- reasons ----------------------------------------------------------------------------------

def _reason_or_404(reason_id):
    return db.get_or_404(Reason, reason_id, description="Deze reden bestaat niet.")


@bp.get("/redenen")
@admin_required
def reasons():
    """List the code-of-conduct reasons in the order editors see them."""
    return render_template("admin/reasons.html", reasons=queries.reasons(),
                           action_form=ActionForm())


@bp.route("/redenen/nieuw", methods=["GET", "POST"])
@admin_required
def new_reason():
    """Add a reason at the end of the list."""
    form = ReasonForm()
    if form.validate_on_submit():
        ops.add_reason(g.editor, form.labels())
        db.session.commit()
        flash(_("De reden is toegevoegd."))
        return redirect(url_for("admin.reasons"))
    return render_template("admin/reason.html", form=form, reason=None)


@bp.route("/redenen/<int:reason_id>", methods=["GET", "POST"])
@admin_required
def edit_reason(reason_id):
    """Change the wording of a reason in the three languages."""
    reason = _reason_or_404(reason_id)
    form = ReasonForm(obj=reason)
    if form.validate_on_submit():
        ops.edit_reason(g.editor, reason, form.labels())
        db.session.commit()
        flash(_("De reden is opgeslagen."))
        return redirect(url_for("admin.reasons"))
    return render_template("admin/reason.html", form=form, reason=reason)


def _switch_reason(reason_id, change, said_on, said_off):
    """Switch something of a reason to the state the button asks for (SwitchForm)."""
    reason = _reason_or_404(reason_id)
    wanted = SwitchForm().wanted()
    if wanted is None:
        abort(400)
    change(g.editor, reason, wanted)
    db.session.commit()
    flash(said_on if wanted else said_off)
    return redirect(url_for("admin.reasons"))


@bp.post("/redenen/<int:reason_id>/actief")
@admin_required
def toggle_reason(reason_id):
    """Retire an active reason or bring back a retired one."""
    return _switch_reason(
        reason_id, ops.set_reason_active, _("De reden kunnen redacteurs weer kiezen."),
        _("De reden kunnen redacteurs niet meer kiezen. Oude beslissingen tonen ze nog."))


@bp.post("/redenen/<int:reason_id>/reacties")
@admin_required
def toggle_reason_for_responses(reason_id):
    """Offer a reason for organisations' responses too, or for ratings only."""
    return _switch_reason(
        reason_id, ops.set_reason_for_responses,
        _("Redacteurs kunnen de reden nu ook kiezen bij een reactie van een organisatie."),
        _("Redacteurs kunnen de reden nu alleen kiezen bij een waardering."))


@bp.post("/redenen/<int:reason_id>/verplaatsen")
@admin_required
def move_reason(reason_id):
    """Move a reason one place up or down."""
    reason = _reason_or_404(reason_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    ops.move_reason(g.editor, reason, -1 if form.direction.data == "up" else 1)
    db.session.commit()
    return redirect(url_for("admin.reasons") + f"#reden-{reason.id}")


# -- message templates ------------------------------------------------------------------------

@bp.get("/berichten")
@admin_required
def templates():
    """List the message templates per decision and language."""
    return render_template("admin/templates.html", templates=queries.templates(),
                           keys=TEMPLATE_KEYS, names=template_names(),
                           languages=LANGUAGE_NAMES)


@bp.route("/berichten/<key>/<language>", methods=["GET", "POST"])
@admin_required
def edit_template(key, language):
    """Change the text of one message template."""
    if key not in TEMPLATE_KEYS or language not in LANGUAGE_NAMES:
        abort(404)
    template = queries.template(key, language)
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        ops.save_template(g.editor, key, language, form.body.data)
        db.session.commit()
        flash(_("Het bericht is opgeslagen."))
        return redirect(url_for("admin.templates"))
    return render_template("admin/template.html", form=form, key=key, language=language,
                           name=template_names()[key], language_name=LANGUAGE_NAMES[language],
                           limit=TEMPLATE_LIMIT)


# -- publication policy -----------------------------------------------------------------------

@bp.route("/publicatie", methods=["GET", "POST"])
@admin_required
def publication_policy():
    """Choose how an approved rating goes online; the choice holds for every approval from now."""
    policy, setting, chosen_by = queries.publication_policy_choice()
    form = PublicationPolicyForm()
    if not form.is_submitted():
        form = PublicationPolicyForm(formdata=None, policy=policy)
    elif form.validate():
        if ops.choose_publication_policy(g.editor, form.policy.data):
            db.session.commit()
            flash(_("Het beleid is opgeslagen. Het geldt voor elke goedkeuring vanaf nu."))
        else:
            flash(_("Dit beleid gold al. Er is niets gewijzigd."))
        return redirect(url_for("admin.publication_policy"))
    return render_template("admin/publication_policy.html", form=form,
                           policy_label=POLICIES[policy], setting=setting, chosen_by=chosen_by)


# -- themes -----------------------------------------------------------------------------------

@bp.get("/themas")
@admin_required
def theme_sectors():
    """List the sectors, each with its own theme wording."""
    return render_template("admin/theme_sectors.html", sectors=sectors_by_slug().values())


@bp.get("/themas/<sector_slug>")
@admin_required
def themes(sector_slug):
    """Show the 8 current themes of a sector, with every version and its answers."""
    sector = sector_or_404(sector_slug)
    versions = {}
    for theme, answers in queries.versions_with_counts(sector):
        versions.setdefault(theme.key, []).append((theme, answers))
    return render_template("admin/themes.html", sector=sector, themes=current_themes(sector),
                           versions=versions)


@bp.route("/themas/<sector_slug>/<key>", methods=["GET", "POST"])
@admin_required
def edit_theme(sector_slug, key):
    """Change a theme's wording: this saves a new version, old answers keep theirs."""
    sector = sector_or_404(sector_slug)
    theme = queries.current_theme(sector, key)
    if theme is None:
        abort(404)
    form = ThemeForm(obj=theme, version=theme.version)
    if form.validate_on_submit():
        outdated = _("Iemand anders heeft dit thema net gewijzigd. Bekijk de nieuwe tekst en "
                     "pas die aan.")
        try:
            if str(theme.version) != form.version.data:
                raise ops.AdminRefused(outdated)
            new = ops.new_theme_version(g.editor, theme, form.values(), outdated)
        except ops.AdminRefused as refused:
            db.session.rollback()
            flash(str(refused))
            return redirect(url_for("admin.edit_theme", sector_slug=sector.slug, key=key))
        if new is None:
            flash(_("Je hebt niets gewijzigd. Er is geen nieuwe versie gemaakt."))
        else:
            db.session.commit()
            flash(_("Versie %(version)s van het thema is opgeslagen. Nieuwe waarderingen "
                    "gebruiken deze tekst.", version=new.version))
        return redirect(url_for("admin.themes", sector_slug=sector.slug))
    return render_template("admin/theme.html", form=form, sector=sector, theme=theme,
                           languages=LANGUAGE_NAMES, limits=THEME_LIMITS,
                           versions=queries.versions_with_counts(sector, key))
