from datetime import date
from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import access_log
from accounts.enums import AccessAction
from accounts.pdf import PdfHeader, file_response, render_pdf
from finance import dashboard, exports, perms, reports
from finance.costs import MissingRateError
from households.forms import DATE


def figures_need_rates(view):
    """A programme whose rates do not cover a day that costs gets a page saying what to complete,
    not an error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MissingRateError as error:
            return render(request, "finance/missing_reference.html", {"message": str(error)})

    return wrapper


def _programme(request):
    if not perms.can_see_finance(request.user):
        raise PermissionDenied("Les indicateurs et états financiers sont réservés au pilotage et au secrétariat.")
    programmes = perms.programmes_for(request.user).select_related("landlord")
    chosen = request.GET.get("programme")
    valid = chosen and chosen.isascii() and chosen.isdigit()
    programme = programmes.filter(pk=chosen).first() if valid else programmes.first()
    if programme is None:
        raise Http404("Aucun programme n'est défini : l'administrateur le crée dans les données de référence.")
    return programme, programmes


@never_cache
@require_GET
@figures_need_rates
def steering_dashboard(request):
    programme, programmes = _programme(request)
    today = timezone.localdate()
    masked = perms.masks_small_counts(request.user, programme)
    return render(
        request,
        "finance/dashboard.html",
        {
            "programme": programme,
            "programmes": programmes,
            "data": dashboard.cached_indicators(programme, today=today, masked=masked),
            "masked": masked,
            "today": today,
        },
    )


@never_cache
@require_GET
@figures_need_rates
def steering_report_pdf(request):
    """The dashboard as a PDF report meant for funders: counts under 5 are always masked."""
    programme, _ = _programme(request)
    today = timezone.localdate()
    content = render_pdf(
        "finance/dashboard_pdf.html",
        {
            "programme": programme,
            "data": dashboard.cached_indicators(programme, today=today, masked=True),
            "header": PdfHeader(organisations=[programme.landlord.name, "Pilotage"]),
            "today": today,
        },
    )
    access_log.record(request, AccessAction.EXPORT, programme, object_type="rapport de pilotage")
    return file_response(content, f"pilotage-{today:%Y-%m-%d}.pdf")


@never_cache
@require_GET
@figures_need_rates
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

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("debut"), cleaned.get("fin")
        if start and end and end < start:
            self.add_error("fin", "La fin de la période doit suivre son début.")
        if start and start < self.programme.start:
            self.add_error(
                "debut", f"Le programme commence le {self.programme.start:%d/%m/%Y} : choisissez une date ultérieure."
            )
        if end and end > self.programme.end:
            self.add_error(
                "fin", f"Le programme finit le {self.programme.end:%d/%m/%Y} : choisissez une date antérieure."
            )
        return cleaned


@never_cache
@require_GET
@figures_need_rates
def funder_statement(request):
    programme, programmes = _programme(request)
    today = timezone.localdate()
    # By default the current calendar year (the programme's last one once it has ended), within its dates.
    year = min(max(today.year, programme.start.year), programme.end.year)
    default_start = max(date(year, 1, 1), programme.start)
    default_end = min(date(year, 12, 31), programme.end)
    period = {key: value for key, value in request.GET.items() if key in ("debut", "fin")}
    form = PeriodForm(period or None, programme=programme, initial={"debut": default_start, "fin": default_end})
    if form.is_bound and not form.is_valid():
        # No figures, and no file, for a period other than the one asked for: only the errors.
        return render(
            request,
            "finance/statement.html",
            {"programme": programme, "programmes": programmes, "statement": None, "form": form},
        )
    if form.is_bound:
        start, end = form.cleaned_data["debut"], form.cleaned_data["fin"]
    else:
        start, end = default_start, default_end
    statement = reports.statement(programme, start=start, end=end, today=today)
    output = request.GET.get("format")
    name = f"etat-recapitulatif-{start:%Y%m%d}-{end:%Y%m%d}"
    if output in ("pdf", "xlsx", "csv"):
        access_log.record(request, AccessAction.EXPORT, programme, object_type=f"état récapitulatif ({output})")
    if output == "pdf":
        return file_response(exports.statement_pdf(statement), f"{name}.pdf", inline=False)
    if output == "xlsx":
        return file_response(
            exports.statement_xlsx(statement),
            f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            inline=False,
        )
    if output == "csv":
        return file_response(
            exports.statement_csv(statement), f"{name}.csv", content_type="text/csv; charset=utf-8", inline=False
        )
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
