from django.contrib import admin

from households.models import Dwelling, Sector, SocialLoadThreshold


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "landlord", "stock_size"]
    list_filter = ["landlord", "commune"]
    search_fields = ["name", "commune"]
    fields = ["landlord", "name", "commune", "stock_size"]


@admin.register(Dwelling)
class DwellingAdmin(admin.ModelAdmin):
    list_display = ["reference", "address", "commune", "sector", "typology", "financing", "offer_kind", "contingent"]
    list_filter = ["landlord", "sector", "typology", "financing", "offer_kind", "contingent"]
    search_fields = ["reference", "address", "commune"]
    list_select_related = ["sector"]
    fields = [
        "landlord",
        "reference",
        "address",
        "postal_code",
        "commune",
        "sector",
        "typology",
        "financing",
        "offer_kind",
        "rent",
        "charges",
        "contingent",
    ]


@admin.register(SocialLoadThreshold)
class SocialLoadThresholdAdmin(admin.ModelAdmin):
    list_display = ["rate", "valid_from"]
    fields = ["rate", "valid_from"]
