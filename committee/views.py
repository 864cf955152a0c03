from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access_log
from accounts import perms as access
from accounts.enums import AccessAction
from accounts.pdf import file_response
from committee import convocation, perms, services
from committee.enums import ItemKind
from committee.forms import AttendeeFormSet, CorrectionForm, DecisionForm, SessionForm
from committee.models import AgendaItem, Decision, Session
from committee.pdfs import minutes_pdf
from households.models import Household, SituationReport
from measures.models import Measure


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@never_cache
@require_GET
def session_list(request):
    if not (access.can_use_case_files(request.user) or perms.secretary_landlords(request.user)):
        raise PermissionDenied("Le comité concerne le bailleur et ses partenaires.")
    sessions = Session.objects.visible_to(request.user).select_related("programme")
    return render(
        request,
        "committee/session_list.html",
        {"sessions": sessions, "can_plan": bool(perms.secretary_landlords(request.user))},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def session_create(request):
    landlords = perms.secretary_landlords(request.user)
    if not landlords:
        raise PermissionDenied("Réservé au secrétariat du comité.")
    form = SessionForm(request.POST or None, landlord_ids=landlords)
    if request.method == "POST" and form.is_valid():
        session = services.session_plan(**form.cleaned_data)
        messages.success(request, f"Séance n° {session.number} planifiée.")
        return redirect("committee:detail", pk=session.pk)
    return render(request, "committee/form.html", {"form": form, "title": "Planifier une séance"})


@never_cache
@require_GET
def session_detail(request, pk):
    session = perms.get_session_for(request.user, pk)
    can_run = perms.can_run(request.user, session)
    items = (
        perms.visible_items(request.user, session)
        .select_related("household", "presented_by", "measure", "decision", "decision__operator")
        .order_by("position", "pk")
    )
    return render(
        request,
        "committee/session_detail.html",
        {
            "session": session,
            "items": items,
            "attendees": session.attendees.select_related("organisation") if can_run else None,
            "pending": services.pending_for(session) if can_run and not session.is_frozen else None,
            "minutes": session.minutes.select_related("validated_by").defer("pdf"),
            "can_run": can_run,
            "unapplied": items.filter(decision__isnull=False, decision__applied_at__isnull=True).count()
            if can_run
            else 0,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def attendees_edit(request, pk):
    session = perms.get_session_for(request.user, pk, for_secretary=True)
    if session.is_frozen:
        raise PermissionDenied("Le procès-verbal est validé : la séance ne se modifie plus.")
    formset = AttendeeFormSet(request.POST or None, instance=session, prefix="attendees")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, "Participants enregistrés.")
        return redirect("committee:detail", pk=session.pk)
    return render(request, "committee/attendees_form.html", {"formset": formset, "session": session})


@require_POST
def agenda_add(request, pk):
    """One click per pending item: the kind and what it refers to come from the button."""
    session = perms.get_session_for(request.user, pk, for_secretary=True)
    landlord = session.programme.landlord
    kind = request.POST.get("kind")
    for name in ("report", "household", "measure"):
        if name in request.POST and not (request.POST[name].isascii() and request.POST[name].isdigit()):
            raise Http404("Identifiant invalide.")
    try:
        if kind == ItemKind.NEW_SITUATION:
            report = get_object_or_404(SituationReport, pk=request.POST.get("report"), organisation=landlord)
            services.agenda_add(
                session=session,
                kind=kind,
                household=report.household,
                presented_by=landlord,
                report=report,
                summary=", ".join(report.reasons),
            )
        elif kind == ItemKind.ACCESS_CANDIDATE:
            household = get_object_or_404(Household, pk=request.POST.get("household"), landlord=landlord)
            services.agenda_add(session=session, kind=kind, household=household, presented_by=household.proposed_by)
        elif kind in (ItemKind.DIAGNOSTIC, ItemKind.CALIBRATION, ItemKind.EVALUATION, ItemKind.CLOSURE):
            measure = get_object_or_404(Measure, pk=request.POST.get("measure"), household__landlord=landlord)
            services.agenda_add(
                session=session, kind=kind, household=measure.household, presented_by=measure.operator, measure=measure
            )
        else:
            raise Http404("Type de point inconnu.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Point ajouté à l'ordre du jour.")
    return redirect("committee:detail", pk=session.pk)


def _item_for_secretary(request, item_pk) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("session__programme", "household"), pk=item_pk)
    perms.get_session_for(request.user, item.session_id, for_secretary=True)
    return item


@require_POST
def agenda_item_action(request, item_pk, action):
    item = _item_for_secretary(request, item_pk)
    try:
        if action == "monter":
            services.agenda_move(item=item, offset=-1)
        elif action == "descendre":
            services.agenda_move(item=item, offset=1)
        elif action == "retirer":
            services.agenda_remove(item=item)
            messages.success(request, "Point retiré de l'ordre du jour.")
        else:
            raise Http404("Action inconnue.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("committee:detail", pk=item.session_id)


@never_cache
@require_http_methods(["GET", "POST"])
def decision_edit(request, item_pk):
    item = _item_for_secretary(request, item_pk)
    if item.session.is_frozen:
        raise PermissionDenied("Le procès-verbal est validé : les décisions ne se modifient plus.")
    decision = Decision.objects.filter(item=item).first()
    form = DecisionForm(request.POST or None, instance=decision, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(decision=form.instance)
        except ValidationError as error:
            from households.views import apply_validation_error

            apply_validation_error(form, error)
        else:
            messages.success(request, f"Décision enregistrée pour {item.household.reference}.")
            return redirect("committee:detail", pk=item.session_id)
    return render(request, "committee/decision_form.html", {"form": form, "item": item})


@never_cache
@require_http_methods(["GET", "POST"])
def session_step(request, pk, step):
    """The secretary's workflow, each step behind a confirmation page saying what will change."""
    session = perms.get_session_for(request.user, pk, for_secretary=True)
    steps = {
        "convoquer": "Envoyer la convocation",
        "tenue": "Marquer la séance comme tenue",
        "appliquer": "Appliquer les décisions",
        "valider": "Valider le procès-verbal",
        "corriger": "Corriger le procès-verbal validé",
    }
    if step not in steps:
        raise Http404("Étape inconnue.")
    form = CorrectionForm(request.POST or None) if step == "corriger" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            message = _run_step(request, session, step, form)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, message)
            return redirect("committee:detail", pk=session.pk)
    decisions = Decision.objects.filter(item__session=session, applied_at__isnull=True).select_related(
        "item__household", "operator"
    )
    return render(
        request,
        "committee/step_confirm.html",
        {"session": session, "step": step, "title": steps[step], "form": form, "decisions": decisions},
    )


def _run_step(request, session, step, form) -> str:
    if step == "convoquer":
        sent = services.session_convene(session=session, by=request.user)
        return f"Convocation envoyée à {sent} participant{'s' if sent > 1 else ''}."
    if step == "tenue":
        following = services.session_mark_held(session=session)
        if following:
            return f"Séance tenue. La suivante (n° {following.number}) est proposée le {following.starts_at:%d/%m/%Y}."
        return "Séance tenue."
    if step == "appliquer":
        applied = services.session_apply_decisions(session=session, by=request.user)
        return f"{len(applied)} décision{'s' if len(applied) > 1 else ''} appliquée{'s' if len(applied) > 1 else ''}."
    if step == "valider":
        minutes = services.minutes_validate(session=session, by=request.user)
        return f"Procès-verbal validé (version {minutes.version}, empreinte {minutes.sha256[:12]}…)."
    minutes = services.minutes_validate(
        session=session, by=request.user, correction_reason=form.cleaned_data["reason"]
    )
    return f"Procès-verbal corrigé : version {minutes.version}."


@never_cache
@require_GET
def minutes_draft(request, pk):
    session = perms.get_session_for(request.user, pk, for_secretary=True)
    content = minutes_pdf(session)
    access_log.record(request, AccessAction.DOWNLOAD_PDF, session)
    return file_response(content, f"pv-comite-{session.number}-projet.pdf")


@never_cache
@require_GET
def minutes_download(request, pk, version):
    session = perms.get_session_for(request.user, pk)
    minutes = get_object_or_404(session.minutes, version=version)
    access_log.record(request, AccessAction.DOWNLOAD_PDF, minutes)
    return file_response(bytes(minutes.pdf), f"pv-comite-{session.number}-v{version}.pdf")


@require_GET
def session_ics(request, pk):
    session = perms.get_session_for(request.user, pk)
    return file_response(
        convocation.ics(session).encode(),
        f"comite-{session.number}.ics",
        content_type="text/calendar; charset=utf-8",
        inline=False,
    )
