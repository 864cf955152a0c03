"""The data protection officer's pages: the access log and the household's right-of-access export."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import access_log, perms
from accounts.enums import AccessAction
from accounts.models import AccessLog


class AccessLogFilter(forms.Form):
    menage = forms.CharField(label="Référence du ménage", required=False)
    utilisateur = forms.CharField(label="Utilisateur (nom ou e-mail)", required=False)


def _households_for_data_protection(user):
    from households.models import Household

    if perms.is_administrator(user):
        return Household.objects.all()
    organisations = perms.data_protection_organisation_ids(user)
    return Household.objects.filter(
        Q(landlord_id__in=organisations) | Q(proposed_by_id__in=organisations) | Q(operator_id__in=organisations)
    )


@never_cache
@require_GET
def access_log_list(request):
    if not perms.can_consult_access_log(request.user):
        raise PermissionDenied(
            "Le journal des accès est réservé aux administrateurs et au délégué à la protection des données."
        )
    form = AccessLogFilter(request.GET or None)
    rows = AccessLog.objects.select_related("user")
    if not perms.is_administrator(request.user):
        rows = rows.filter(household_id__in=_households_for_data_protection(request.user).values("pk"))
    if form.is_valid():
        if reference := form.cleaned_data["menage"].strip():
            rows = rows.filter(household_reference__iexact=reference)
        if who := form.cleaned_data["utilisateur"].strip():
            rows = rows.filter(Q(user__email__icontains=who) | Q(user__full_name__icontains=who))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/access_log.html", {"form": form, "page": page, "query": query.urlencode()})


@never_cache
@require_GET
def household_export(request, pk):
    from households.gdpr import household_archive

    if not perms.can_consult_access_log(request.user):
        raise PermissionDenied(
            "L'export RGPD est réservé aux administrateurs et au délégué à la protection des données."
        )
    household = _households_for_data_protection(request.user).filter(pk=pk).first()
    if household is None:
        raise Http404("Ménage introuvable.")
    content = household_archive(household)
    access_log.record(request, AccessAction.GDPR_EXPORT, household)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="rgpd-{household.reference}.zip"'
    return response
