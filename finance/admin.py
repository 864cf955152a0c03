from django.contrib import admin

from finance.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "landlord", "call_year", "start", "end"]
    fields = [
        "landlord",
        "name",
        "call_year",
        "start",
        "end",
        "maintien_planned_per_year",
        "acces_planned_per_year",
        "committee_place",
    ]
