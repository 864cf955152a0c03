from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.pdf import PdfHeader, render_pdf
from finance import dashboard, exports, perms, reports
from households.forms import DATE


def _programme(request):
    if not perms.can_see_finance(request.user):
        raise PermissionDenied("Les indicateurs et états financiers sont réservés au pilotage et au secrétariat.")
    programmes = perms.programmes_for(request.user).select_related("landlord")
    chosen = request.GET.get("programme")
    programme = programmes.filter(pk=chosen).first() if chosen and chosen.isdigit() else programmes.first()
    if programme is None:
        raise Http404("Aucun programme n'est défini : l'administrateur le crée dans les données de référence.")
    return programme, programmes


@never_cache
@require_GET
def steering_dashboard(request):
    programme, programmes = _programme(request)
    today = timezone.localdate()
    masked = perms.masks_small_counts(request.user)
    return render(
        request,
        "finance/dashboard.html",
        {
            "programme": programme,
            "programmes": programmes,
            "data": dashboard.indicators(programme, today=today, masked=masked),
            "masked": masked,
            "today": today,
        },
    )


@never_cache
@require_GET
def steering_report_pdf(request):
    """The dashboard as a PDF report meant for funders: counts under 5 are always masked."""
    programme, _ = _programme(request)
    today = timezone.localdate()
    content = render_pdf(
        "finance/dashboard_pdf.html",
        {
            "programme": programme,
            "data": dashboard.indicators(programme, today=today, masked=True),
            "header": PdfHeader(organisations=[programme.landlord.name, "Pilotage"]),
            "today": today,
        },
    )
    return _download(content, "application/pdf", f"pilotage-{today:%Y-%m-%d}.pdf", inline=True)


@never_cache
@require_GET
def plan(request):
    programme, programmes = _programme(request)
    today = timezone.localdate()
    return render(
        request,
        "finance/plan.html",
        {"programme": programme, "programmes": programmes, "data": reports.plan_vs_actual(programme, today=today)},
    )


class PeriodForm(forms.Form):
    debut = forms.DateField(label="Du", widget=DATE)
    fin = forms.DateField(label="Au", widget=DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("debut") and cleaned.get("fin") and cleaned["fin"] < cleaned["debut"]:
            self.add_error("fin", "La fin de la période doit suivre son début.")
        return cleaned


@never_cache
@require_GET
def funder_statement(request):
    programme, programmes = _programme(request)
    year = timezone.localdate().year
    form = PeriodForm(request.GET or None, initial={"debut": date(year, 1, 1), "fin": date(year, 12, 31)})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["debut"], form.cleaned_data["fin"]
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    statement = reports.statement(programme, start=start, end=end)
    output = request.GET.get("format")
    name = f"etat-recapitulatif-{start:%Y%m%d}-{end:%Y%m%d}"
    if output == "pdf":
        return _download(exports.statement_pdf(statement), "application/pdf", f"{name}.pdf")
    if output == "xlsx":
        return _download(
            exports.statement_xlsx(statement),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    if output == "csv":
        return _download(exports.statement_csv(statement), "text/csv; charset=utf-8", f"{name}.csv")
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "finance/statement.html",
        {
            "programme": programme,
            "programmes": programmes,
            "statement": statement,
            "form": form,
            "query": query.urlencode() or f"debut={start:%Y-%m-%d}&fin={end:%Y-%m-%d}",
            "rounding": exports.ROUNDING_NOTE,
        },
    )


def _download(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
