from django.urls import path

from measures import liaison_views, views

app_name = "measures"

urlpatterns = [
    path("mesures/<int:pk>/", views.measure_detail, name="detail"),
    path("menages/<int:household_pk>/diagnostic/commencer/", views.diagnostic_start, name="diagnostic_start"),
    path("mesures/<int:pk>/diagnostic/", views.diagnostic_detail, name="diagnostic"),
    path("mesures/<int:pk>/diagnostic/modifier/", views.diagnostic_edit, name="diagnostic_edit"),
    path("mesures/<int:pk>/diagnostic/signature/", views.diagnostic_sign, name="diagnostic_sign"),
    path("mesures/<int:pk>/diagnostic/visa-bailleur/", views.diagnostic_landlord_sign_off, name="diagnostic_landlord"),
    path("mesures/<int:pk>/diagnostic/avenant/", views.diagnostic_amend, name="diagnostic_amend"),
    path("mesures/<int:pk>/diagnostic/pdf/", views.diagnostic_download, name="diagnostic_pdf"),
    path("mesures/<int:pk>/ouvrir/", views.measure_open, name="open"),
    path("mesures/<int:pk>/referent/", views.referent_change, name="referent_change"),
    path("mesures/<int:pk>/statut/<slug:action>/", views.measure_status, name="status"),
    path("mesures/<int:pk>/contacts/nouveau/", views.contact_add, name="contact_add"),
    path("mesures/<int:pk>/contrat/", views.contract_detail, name="contract"),
    path("mesures/<int:pk>/contrat/modifier/", views.contract_edit, name="contract_edit"),
    path("mesures/<int:pk>/contrat/signature/", views.contract_sign, name="contract_sign"),
    path("mesures/<int:pk>/contrat/avenant/", views.contract_amend, name="contract_amend"),
    path("mesures/<int:pk>/contrat/pdf/", views.contract_download, name="contract_pdf"),
    path("mesures/<int:pk>/evaluations/nouvelle/", views.evaluation_add, name="evaluation_add"),
    path("menages/<int:household_pk>/reseau/", views.network_edit, name="network"),
    path("menages/<int:household_pk>/documents/ajouter/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("echanges/", liaison_views.liaison_list, name="liaison_list"),
    path("echanges/nouveau/", liaison_views.liaison_create, name="liaison_create"),
    path("echanges/<int:pk>/", liaison_views.liaison_detail, name="liaison_detail"),
]
