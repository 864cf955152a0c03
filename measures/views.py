from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access_log
from accounts.enums import AccessAction
from accounts.pdf import file_response
from households import perms as household_perms
from households.models import Household
from households.views import apply_validation_error
from measures import perms, services
from measures.enums import MeasureStatus
from measures.forms import (
    AmendmentForm,
    CloseForm,
    ContactForm,
    ContractForm,
    ContractSignForm,
    DiagnosticForm,
    DiagnosticSignForm,
    DiagnosticStartForm,
    DocumentForm,
    EvaluationForm,
    MeasureOpenForm,
    NetworkFormSet,
    ObjectiveFormSet,
    ReasonForm,
    ReferentChangeForm,
    StatusForm,
)
from measures.models import Contact, Contract, Diagnostic, DiagnosticAmendment, Document, Measure, ReferentAssignment
from measures.pdfs import contract_pdf, diagnostic_pdf
from measures.timekeeping import time_summary

CONTACTS_SHOWN = 30


def _contract_for(measure) -> Contract:
    """The measure's contract; it exists once the measure is open (404 before)."""
    try:
        return measure.contract
    except Contract.DoesNotExist:
        raise Http404("Le contrat se rédige une fois la mesure ouverte.") from None


def measure_url(measure, anchor=""):
    return reverse("measures:detail", args=[measure.pk]) + (f"#{anchor}" if anchor else "")


def _detail_queryset():
    return Measure.objects.select_related("household", "operator", "diagnostic", "contract").prefetch_related(
        Prefetch("assignments", queryset=ReferentAssignment.objects.select_related("referent")),
        "status_changes",
        Prefetch("contacts", queryset=Contact.objects.select_related("by")),
        "evaluations__by",
        "contract__objectives",
    )


@never_cache
@require_GET
def measure_detail(request, pk):
    measure = perms.get_measure_for(request.user, pk, queryset=_detail_queryset())
    today = timezone.localdate()
    contacts = list(measure.contacts.all())
    access_log.record(request, AccessAction.VIEW_MEASURE, measure)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "household": measure.household,
            "time": time_summary(measure, today=today),
            "contacts": contacts if request.GET.get("contacts") == "tous" else contacts[:CONTACTS_SHOWN],
            "contacts_hidden": max(len(contacts) - CONTACTS_SHOWN, 0) if request.GET.get("contacts") != "tous" else 0,
            "can_work": perms.can_work_on(request.user, measure),
            "can_manage": perms.can_manage(request.user, measure),
            "see_confidential": perms.can_see_confidential(request.user, measure),
            "documents": Document.objects.filter(measure=measure).select_related("uploaded_by"),
            "today": today,
        },
    )


def _form_page(request, *, form, title, measure, template="measures/form.html", extra=None):
    return render(request, template, {"form": form, "title": title, "measure": measure, **(extra or {})})


def _run(request, form, action, success: str):
    """Call the service; French errors go back on the form, nothing is half-saved."""
    try:
        result = action()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    except services.StaleVersionError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, success)
    return result or True


@never_cache
@require_http_methods(["GET", "POST"])
def diagnostic_start(request, household_pk):
    household = household_perms.get_household_for(request.user, household_pk)
    operator_ids = perms.operators_for(request.user, household)
    if not operator_ids:
        raise PermissionDenied("Seule l'association du ménage peut commencer son diagnostic.")
    form = DiagnosticStartForm(request.POST or None, operator_ids=operator_ids, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        diagnostic = _run(
            request,
            form,
            lambda: services.diagnostic_start(
                household=household,
                operator=data["operator"],
                social_worker=data["social_worker"],
                on=data["on"],
                by=request.user,
            ),
            "Diagnostic commencé.",
        )
        if diagnostic:
            return redirect("measures:diagnostic_edit", pk=diagnostic.measure_id)
    return render(
        request,
        "measures/form.html",
        {"form": form, "title": f"Commencer le diagnostic partagé — {household.reference}", "household": household},
    )


@never_cache
@require_GET
def diagnostic_detail(request, pk):
    measure = perms.get_measure_for(request.user, pk, queryset=Measure.objects.select_related("household", "operator"))
    diagnostic = (
        Diagnostic.objects.filter(measure=measure)
        .select_related("social_worker")
        .prefetch_related(
            "members_present", Prefetch("amendments", queryset=DiagnosticAmendment.objects.select_related("by"))
        )
        .first()
    )
    if diagnostic is None:
        raise Http404("Pas de diagnostic pour cette mesure.")
    return render(
        request,
        "measures/diagnostic_detail.html",
        {
            "measure": measure,
            "diagnostic": diagnostic,
            "can_work": perms.can_work_on(request.user, measure),
            "can_landlord_sign_off": perms.can_landlord_sign_off(request.user, measure),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def diagnostic_edit(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    diagnostic = measure.diagnostic
    if diagnostic.is_signed:
        messages.info(request, "Le diagnostic est signé : il ne se modifie plus ; ajoutez un avenant.")
        return redirect("measures:diagnostic_amend", pk=measure.pk)
    form = DiagnosticForm(request.POST or None, instance=diagnostic)
    if request.method == "POST" and form.is_valid():

        def save():
            members = form.cleaned_data["members_present"]
            services.save_versioned(
                form.instance,
                expected_version=form.cleaned_data["version"],
                fields=[name for name in form.Meta.fields if name != "members_present"],
            )
            form.instance.members_present.set(members)

        if _run(request, form, save, "Diagnostic enregistré."):
            return redirect("measures:diagnostic", pk=measure.pk)
    return _form_page(
        request, form=form, title="Diagnostic partagé", measure=measure, template="measures/diagnostic_form.html"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def diagnostic_sign(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    form = DiagnosticSignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = lambda: services.diagnostic_sign_household(  # noqa: E731
            diagnostic=measure.diagnostic,
            signed_on=data["signed_on"],
            method=data["method"],
            scan=data.get("scan"),
            by=request.user,
        )
        if _run(request, form, action, "Signature du ménage enregistrée : le diagnostic est verrouillé."):
            return redirect("measures:diagnostic", pk=measure.pk)
    missing = measure.diagnostic.missing_for_signature()
    return _form_page(
        request, form=form, title="Signature du diagnostic par le ménage", measure=measure, extra={"missing": missing}
    )


@require_POST
def diagnostic_landlord_sign_off(request, pk):
    measure = perms.get_measure_for(request.user, pk)
    if not perms.can_landlord_sign_off(request.user, measure):
        raise PermissionDenied("Le visa du bailleur est donné par son personnel.")
    try:
        services.diagnostic_landlord_sign_off(diagnostic=measure.diagnostic, on=timezone.localdate(), by=request.user)
    except (ValidationError, services.StaleVersionError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Visa du bailleur enregistré.")
    return redirect("measures:diagnostic", pk=measure.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def diagnostic_amend(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.diagnostic_amend(  # noqa: E731
            diagnostic=measure.diagnostic, by=request.user, **form.cleaned_data
        )
        if _run(request, form, action, "Avenant ajouté au diagnostic signé."):
            return redirect("measures:diagnostic", pk=measure.pk)
    return _form_page(request, form=form, title="Avenant au diagnostic signé", measure=measure)


@never_cache
@require_GET
def diagnostic_download(request, pk):
    measure = perms.get_measure_for(request.user, pk)
    pdf = diagnostic_pdf(measure.diagnostic)
    access_log.record(request, AccessAction.DOWNLOAD_PDF, measure.diagnostic, household=measure.household)
    return file_response(pdf, f"diagnostic-{measure.household.reference}.pdf")


@never_cache
@require_http_methods(["GET", "POST"])
def measure_open(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    form = MeasureOpenForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.measure_open(measure=measure, by=request.user, **form.cleaned_data)  # noqa: E731
        if _run(request, form, action, "La mesure est ouverte : rédigez maintenant le contrat d'accompagnement."):
            return redirect("measures:contract_edit", pk=measure.pk)
    return _form_page(request, form=form, title="Ouvrir la mesure d'accompagnement", measure=measure)


@never_cache
@require_http_methods(["GET", "POST"])
def referent_change(request, pk):
    measure = perms.get_measure_for(request.user, pk)
    if not perms.can_manage(request.user, measure):
        raise PermissionDenied("Le changement de référent revient au responsable de l'association.")
    form = ReferentChangeForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.referent_change(measure=measure, by=request.user, **form.cleaned_data)  # noqa: E731
        if _run(request, form, action, "Nouveau référent enregistré."):
            return redirect(measure_url(measure))
    return _form_page(request, form=form, title="Changer de référent", measure=measure)


@never_cache
@require_http_methods(["GET", "POST"])
def measure_status(request, pk, action):
    """Suspend, resume or close, after a confirmation page that says what will change."""
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    if action == "cloture":
        form = CloseForm(request.POST or None)
        title = "Clore la mesure"
        run = lambda d: services.measure_close(measure=measure, by=request.user, **d)  # noqa: E731
    elif action == "suspension" and measure.status == MeasureStatus.ACTIVE:
        form, title = StatusForm(request.POST or None), "Suspendre la mesure"
        run = lambda d: services.measure_suspend(measure=measure, by=request.user, **d)  # noqa: E731
    elif action == "reprise" and measure.status == MeasureStatus.SUSPENDED:
        form, title = StatusForm(request.POST or None), "Reprendre l'accompagnement"
        run = lambda d: services.measure_resume(measure=measure, on=d["on"], by=request.user)  # noqa: E731
    else:
        raise Http404("Action inconnue pour cette mesure.")
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: run(form.cleaned_data), f"{title} : c'est fait."):
            return redirect(measure_url(measure))
    return _form_page(
        request,
        form=form,
        title=title,
        measure=measure,
        template="measures/status_confirm.html",
        extra={"action": action},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contact_add(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    form = ContactForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.contact_log(contact=form.instance, by=request.user), "Contact noté."):
            return redirect(measure_url(measure, "temps"))
    return _form_page(
        request, form=form, title="Noter un contact", measure=measure, template="measures/contact_form.html"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    contract = _contract_for(measure)
    if contract.is_signed:
        messages.info(request, "Le contrat est signé : pour le modifier, faites un avenant.")
        return redirect("measures:contract", pk=measure.pk)
    form = ContractForm(request.POST or None, instance=contract)
    objectives = ObjectiveFormSet(request.POST or None, instance=contract, prefix="objectives")
    if request.method == "POST" and form.is_valid() and objectives.is_valid():

        def save():
            services.save_versioned(contract, expected_version=form.cleaned_data["version"], fields=form.Meta.fields)
            objectives.save()

        if _run(request, form, save, "Contrat enregistré."):
            return redirect("measures:contract", pk=measure.pk)
    return render(
        request,
        "measures/contract_form.html",
        {"form": form, "objectives": objectives, "measure": measure, "title": "Contrat d'accompagnement"},
    )


@never_cache
@require_GET
def contract_detail(request, pk):
    measure = perms.get_measure_for(request.user, pk, queryset=_detail_queryset())
    contract = _contract_for(measure)
    return render(
        request,
        "measures/contract_detail.html",
        {
            "measure": measure,
            "contract": contract,
            "versions": contract.versions.select_related("by"),
            "can_work": perms.can_work_on(request.user, measure),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contract_sign(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    contract = _contract_for(measure)
    form = ContractSignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.contract_sign(contract=contract, by=request.user, **form.cleaned_data)  # noqa: E731
        if _run(request, form, action, "Contrat signé."):
            return redirect("measures:contract", pk=measure.pk)
    return _form_page(request, form=form, title="Signature du contrat", measure=measure)


@never_cache
@require_http_methods(["GET", "POST"])
def contract_amend(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    contract = _contract_for(measure)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.contract_amend(contract=contract, by=request.user, **form.cleaned_data)  # noqa: E731
        if _run(
            request, form, action, "Avenant ouvert : la version signée est conservée ; modifiez puis faites signer."
        ):
            return redirect("measures:contract_edit", pk=measure.pk)
    return _form_page(request, form=form, title="Avenant au contrat", measure=measure)


@never_cache
@require_GET
def contract_download(request, pk):
    measure = perms.get_measure_for(request.user, pk)
    contract = _contract_for(measure)
    content = contract_pdf(contract)
    access_log.record(request, AccessAction.DOWNLOAD_PDF, contract, household=measure.household)
    return file_response(content, f"contrat-{measure.household.reference}.pdf")


@never_cache
@require_http_methods(["GET", "POST"])
def evaluation_add(request, pk):
    measure = perms.get_measure_for(request.user, pk, for_work=True)
    form = EvaluationForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.evaluation_add(evaluation=form.instance, by=request.user)  # noqa: E731
        if _run(request, form, action, "Évaluation enregistrée."):
            return redirect(measure_url(measure, "evaluations"))
    return _form_page(request, form=form, title="Évaluer la mesure", measure=measure)


def _household_for_social_work(request, household_pk):
    household = household_perms.get_household_for(request.user, household_pk)
    if not household_perms.is_in_social_work_circle(request.user, household):
        raise PermissionDenied("Réservé aux travailleurs sociaux qui suivent ce ménage.")
    return household


@never_cache
@require_http_methods(["GET", "POST"])
def network_edit(request, household_pk):
    household = _household_for_social_work(request, household_pk)
    formset = NetworkFormSet(request.POST or None, instance=household, prefix="network")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, "Réseau mis à jour.")
        return redirect(reverse("households:detail", args=[household.pk]) + "?onglet=accompagnement")
    return render(
        request,
        "households/formset_form.html",
        {"formset": formset, "household": household, "title": "Le réseau autour du ménage"},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def document_add(request, household_pk):
    household = _household_for_social_work(request, household_pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        action = lambda: services.document_add(household=household, by=request.user, **form.cleaned_data)  # noqa: E731
        if _run(request, form, action, "Document ajouté."):
            return redirect(reverse("households:detail", args=[household.pk]) + "?onglet=documents")
    return render(
        request, "measures/form.html", {"form": form, "household": household, "title": "Ajouter un document"}
    )


@never_cache
@require_GET
def document_download(request, pk):
    """Documents are served only here, after the access check (never from a public URL)."""
    visible = Household.objects.visible_to(request.user)
    document = get_object_or_404(Document.objects.filter(household__in=visible), pk=pk)
    if document.confidential and not household_perms.is_in_social_work_circle(request.user, document.household):
        raise PermissionDenied("Document confidentiel : réservé aux travailleurs sociaux du ménage.")
    access_log.record(request, AccessAction.DOWNLOAD_DOCUMENT, document)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "no-store"
    return response
