"""The 6-weekly exchanges between the landlord's tenancy staff and the social workers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from households import perms as household_perms
from households.models import Household
from measures.forms import LiaisonItemFormSet, LiaisonMeetingForm
from measures.models import LiaisonItem, LiaisonMeeting


@never_cache
@require_GET
def liaison_list(request):
    if not perms.can_use_case_files(request.user):
        raise PermissionDenied("Les échanges concernent le bailleur et les travailleurs sociaux.")
    meetings = list(LiaisonMeeting.objects.visible_to(request.user).prefetch_related("partners"))
    today = timezone.localdate()
    next_on, overdue = LiaisonMeeting.next_after(meetings[0] if meetings else None, today)
    return render(
        request,
        "measures/liaison_list.html",
        {
            "meetings": meetings,
            "next_on": next_on,
            "overdue": overdue,
            "today": today,
            "can_create": bool(household_perms.report_landlords(request.user)),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def liaison_create(request):
    landlords = household_perms.report_landlords(request.user)
    if not landlords:
        raise PermissionDenied("Le compte rendu d'échange est saisi par la gestion locative du bailleur.")
    landlord = Organisation.objects.get(pk=min(landlords))
    households = Household.objects.visible_to(request.user).filter(landlord=landlord).open()
    partner_ids = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION).values_list("pk", flat=True)
    meeting = LiaisonMeeting(landlord=landlord, created_by=request.user)
    form = LiaisonMeetingForm(request.POST or None, instance=meeting, partner_ids=list(partner_ids))
    items = LiaisonItemFormSet(
        request.POST or None, instance=meeting, prefix="items", form_kwargs={"households": households}
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        with transaction.atomic():
            form.save()
            items.save()
        messages.success(
            request, f"Échange du {meeting.held_on:%d/%m/%Y} enregistré ; prochain le {meeting.next_on:%d/%m/%Y}."
        )
        return redirect("measures:liaison_detail", pk=meeting.pk)
    return render(request, "measures/liaison_form.html", {"form": form, "items": items})


@never_cache
@require_GET
def liaison_detail(request, pk):
    meeting = get_object_or_404(LiaisonMeeting.objects.visible_to(request.user), pk=pk)
    # A partner reads what was said of its own households only.
    items = LiaisonItem.objects.filter(
        meeting=meeting, household__in=Household.objects.visible_to(request.user)
    ).select_related("household")
    return render(request, "measures/liaison_detail.html", {"meeting": meeting, "items": items})
