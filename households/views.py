from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access_log
from accounts import perms as access
from accounts.enums import AccessAction
from accounts.page_cache import cached_page
from households import perms, services
from households.duplicates import possible_duplicates
from households.enums import Relation
from households.filters import HouseholdFilter
from households.forms import (
    AllocationForm,
    ArrearsBalanceForm,
    HouseholdForm,
    NewTenantForm,
    PersonFormSet,
    ProcedureEventForm,
    ResourceFormSet,
    SituationReportForm,
    TenancyForm,
)
from households.history import household_history
from households.models import (
    Household,
    Person,
    ProcedureEvent,
    Sector,
    SocialLoadThreshold,
    Tenancy,
    procedure_events_by_household,
)
from households.procedure import current_stage

PAGE_SIZE = 25
TABS = [
    ("situation", "Situation"),
    ("logement", "Logement"),
    ("procedure", "Procédure"),
    ("accompagnement", "Accompagnement"),
    ("comite", "Comité"),
    ("documents", "Documents"),
    ("historique", "Historique"),
]


def apply_validation_error(form, error: ValidationError, *, fields: dict[str, str] | None = None):
    """Show a service's errors in the form, each next to its field; `fields` renames a model field
    that the form asks under another name."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (fields or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@transaction.non_atomic_requests
@never_cache
@require_GET
@cached_page
def household_list(request):
    if not access.can_use_case_files(request.user):
        raise PermissionDenied("Votre rôle ne donne accès à aucun dossier de ménage.")
    queryset = (
        Household.objects.visible_to(request.user)
        .select_related("proposed_by", "operator")
        .prefetch_related("tenancies")
    )
    filterset = HouseholdFilter(request.GET, queryset=queryset, user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    by_household = procedure_events_by_household(rows)
    today = timezone.localdate()
    for household in rows:
        household.deadline = household.procedure_deadline(by_household.get(household.pk, []), today=today)
        stage = current_stage(by_household.get(household.pk, []))
        household.stage_label = stage.label if stage is not None else "—"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/household_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "today": today,
            "can_create": perms.can_create_household(request.user),
        },
    )


def _file_context(request, household):
    events = list(household.procedure_events.all())
    today = timezone.localdate()
    return {
        "household": household,
        "events": events,
        "deadline": household.procedure_deadline(events, today=today),
        "today": today,
        "can_edit": perms.can_edit(request.user, household),
        "tabs": TABS,
    }


@transaction.non_atomic_requests
@never_cache
@require_GET
@cached_page
def household_detail(request, pk):
    household = perms.get_household_for(
        request.user,
        pk,
        queryset=Household.objects.select_related(
            "landlord", "proposed_by", "operator", "proposed_by_user"
        ).prefetch_related(
            "people",
            Prefetch("procedure_events", queryset=ProcedureEvent.objects.select_related("recorded_by")),
        ),
    )
    from measures import household_tabs  # measures builds on households, not the other way round

    tab = request.GET.get("onglet", "situation")
    if tab not in dict(TABS):
        tab = "situation"
    context = _file_context(request, household) | {"tab": tab}
    context |= household_tabs.header_context(household, today=context["today"])
    if tab == "situation":
        context["resources"] = household.resources.all()
        context["reports"] = household.situation_reports.select_related("reported_by", "organisation")
    elif tab == "logement":
        context["tenancies"] = household.tenancies.select_related(
            "dwelling__sector", "main_lease_holder"
        ).prefetch_related("reviews")
        context["balances"] = household.arrears_balances.all()[:12]
        context["allocations"] = household.allocations.select_related("dwelling__sector")
    elif tab == "accompagnement":
        context |= household_tabs.accompaniment_context(
            request.user, household, context["measures"], today=context["today"]
        )
    elif tab == "comite":
        from committee.household_tab import committee_context

        context |= committee_context(request.user, household)
    elif tab == "documents":
        context |= household_tabs.documents_context(request.user, household)
    elif tab == "historique":
        if not perms.can_see_history(request.user, household):
            raise PermissionDenied("L'historique est réservé aux professionnels qui suivent ce ménage.")
        context["history"] = household_history(household)
    # Logged once the tab is known to be allowed: a refused page leaves no entry (this view runs
    # outside a transaction, see accounts/page_cache.py).
    access_log.record(request, AccessAction.VIEW_HOUSEHOLD, household)
    return render(request, "households/household_detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def household_create(request):
    if not perms.can_create_household(request.user):
        raise PermissionDenied("Votre rôle ne permet pas de proposer un ménage.")
    form = HouseholdForm(request.POST or None, user=request.user)
    people = PersonFormSet(
        request.POST or None, instance=Household(), prefix="people", initial=[{"relation": Relation.HEAD}]
    )
    duplicates = []
    if request.method == "POST" and form.is_valid() and people.is_valid():
        candidates = [p for p in people.save(commit=False)]
        duplicates = possible_duplicates(request.user, people=candidates, landlord=form.cleaned_data["landlord"])
        if not duplicates or request.POST.get("confirm_not_duplicate"):
            try:
                household = services.household_create(
                    household=form.save(commit=False), people=candidates, by=request.user
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Ménage {household.reference} enregistré.")
                return redirect(household_url(household))
    return render(
        request,
        "households/household_form.html",
        {"form": form, "people": people, "duplicates": duplicates, "title": "Proposer un ménage"},
    )


def household_url(household, tab=None):
    url = reverse("households:detail", args=[household.pk])
    return f"{url}?onglet={tab}" if tab else url


@never_cache
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = perms.get_household_for(request.user, pk, for_edit=True)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Modifications enregistrées.")
        return redirect(household_url(household))
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "title": f"Modifier le ménage {household.reference}"},
    )


def _formset_view(request, pk, formset_class, prefix, title, tab):
    household = perms.get_household_for(request.user, pk, for_edit=True)
    formset = formset_class(request.POST or None, instance=household, prefix=prefix)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, "Modifications enregistrées.")
        return redirect(household_url(household, tab))
    return render(
        request, "households/formset_form.html", {"formset": formset, "household": household, "title": title}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def people_edit(request, pk):
    return _formset_view(request, pk, PersonFormSet, "people", "Personnes du ménage", "situation")


@never_cache
@require_http_methods(["GET", "POST"])
def resources_edit(request, pk):
    return _formset_view(request, pk, ResourceFormSet, "resources", "Ressources mensuelles", "situation")


def _child_form_view(request, pk, form_class, *, title, tab, save, instance=None, household=None):
    """A form that adds (or edits) one object hanging from a household the user may edit."""
    household = household or perms.get_household_for(request.user, pk, for_edit=True)
    form = form_class(request.POST or None, instance=instance, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Enregistré.")
            return redirect(household_url(household, tab))
    return render(
        request, "households/child_form.html", {"form": form, "household": household, "title": title, "tab": tab}
    )


def _full_save(obj):
    obj.full_clean()
    obj.save()


@never_cache
@require_http_methods(["GET", "POST"])
def tenancy_add(request, pk):
    return _child_form_view(
        request,
        pk,
        TenancyForm,
        title="Ajouter une occupation",
        tab="logement",
        save=lambda t: services.tenancy_start(tenancy=t),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tenancy_edit(request, pk, tenancy_pk):
    household = perms.get_household_for(request.user, pk, for_edit=True)
    tenancy = get_object_or_404(Tenancy, pk=tenancy_pk, household=household)
    return _child_form_view(
        request,
        pk,
        TenancyForm,
        instance=tenancy,
        household=household,
        title="Modifier l'occupation",
        tab="logement",
        save=lambda t: services.tenancy_start(tenancy=t),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def arrears_add(request, pk):
    return _child_form_view(
        request, pk, ArrearsBalanceForm, title="Nouveau solde de dette locative", tab="logement", save=_full_save
    )


@never_cache
@require_http_methods(["GET", "POST"])
def allocation_add(request, pk):
    return _child_form_view(
        request,
        pk,
        AllocationForm,
        title="Proposition de logement et décision de la CAL",
        tab="logement",
        save=_full_save,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def procedure_event_add(request, pk):
    return _child_form_view(
        request,
        pk,
        ProcedureEventForm,
        title="Ajouter un événement de procédure",
        tab="procedure",
        save=lambda event: services.procedure_event_add(event=event, by=request.user),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def situation_report_create(request):
    landlords = perms.report_landlords(request.user)
    if not landlords:
        raise PermissionDenied("Seul le personnel du bailleur signale des situations.")
    query = request.GET.get("q", "").strip()
    household = None
    if household_pk := request.POST.get("household") or request.GET.get("menage"):
        household = perms.get_household_for(request.user, household_pk, for_edit=True)
    form = SituationReportForm(request.POST or None, user=request.user)
    new_tenant = None if household else NewTenantForm(request.POST or None, landlord_ids=landlords, prefix="new")
    duplicates = []
    if request.method == "POST" and form.is_valid() and (new_tenant is None or new_tenant.is_valid()):
        report = form.save(commit=False)
        if new_tenant is not None:
            duplicates = _tenant_duplicates(request.user, new_tenant)
            if duplicates and not new_tenant.cleaned_data["confirm_not_duplicate"]:
                return _report_page(request, form, new_tenant, household, query, duplicates)
        try:
            report = services.situation_report_create(
                report=report,
                by=request.user,
                procedure_event=form.procedure_event(),
                **_report_target(household, new_tenant, report),
            )
        except ValidationError as error:
            # The report form asks the procedure step's dates under its own names.
            apply_validation_error(
                form, error, fields={"occurred_on": "procedure_date", "hearing_date": "procedure_hearing_date"}
            )
        else:
            messages.success(request, f"Signalement enregistré pour le ménage {report.household.reference}.")
            return redirect(household_url(report.household, "procedure"))
    return _report_page(request, form, new_tenant, household, query, duplicates)


def _report_target(household, new_tenant, report) -> dict:
    """The existing household reported on, or the new tenant's household, head of household and tenancy."""
    if new_tenant is None:
        return {"household": household}
    data = new_tenant.cleaned_data
    return {
        "household": Household(
            name=data["name"], landlord=report.organisation, proposed_by=report.organisation, phone=data["phone"]
        ),
        "people": [
            Person(
                last_name=data["head_last_name"],
                first_names=data["head_first_names"],
                birth_date=data["head_birth_date"],
                relation=Relation.HEAD,
            )
        ],
        "tenancy": Tenancy(dwelling=data["dwelling"], start=data["tenancy_start"]),
    }


def _tenant_duplicates(user, new_tenant):
    data = new_tenant.cleaned_data
    person = Person(last_name=data["head_last_name"], birth_date=data["head_birth_date"])
    return possible_duplicates(user, people=[person], dwelling=data["dwelling"], landlord=data["dwelling"].landlord)


def _report_page(request, form, new_tenant, household, query, duplicates):
    matches = []
    if query and household is None:
        matches = (
            Household.objects.visible_to(request.user)
            .filter(landlord_id__in=perms.report_landlords(request.user))
            .search(query)
            .select_related("landlord")[:10]
        )
    return render(
        request,
        "households/report_form.html",
        {
            "form": form,
            "new_tenant": new_tenant,
            "household": household,
            "query": query,
            "matches": matches,
            "duplicates": duplicates,
        },
    )


@require_GET
def sector_list(request):
    landlords = access.landlord_ids_for_case_files(request.user) | set(
        Household.objects.visible_to(request.user).values_list("landlord_id", flat=True)
    )
    if not landlords and not request.user.is_staff:
        raise PermissionDenied("La charge sociale des secteurs concerne le bailleur et ses partenaires.")
    threshold = SocialLoadThreshold.current_rate()
    sectors = list(Sector.objects.filter(landlord_id__in=landlords).with_social_load().select_related("landlord"))
    for sector in sectors:
        sector.rate = Sector.load_rate(sector.carried, sector.stock_size)
        sector.above = threshold is not None and sector.rate > threshold
    sectors.sort(key=lambda s: (-s.rate, s.name))
    return render(request, "households/sector_list.html", {"sectors": sectors, "threshold": threshold})
