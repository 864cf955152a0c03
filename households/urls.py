from django.urls import path

from households import views

app_name = "households"

urlpatterns = [
    path("menages/", views.household_list, name="list"),
    path("menages/nouveau/", views.household_create, name="create"),
    path("menages/<int:pk>/", views.household_detail, name="detail"),
    path("menages/<int:pk>/modifier/", views.household_edit, name="edit"),
    path("menages/<int:pk>/personnes/", views.people_edit, name="people"),
    path("menages/<int:pk>/ressources/", views.resources_edit, name="resources"),
    path("menages/<int:pk>/occupations/ajouter/", views.tenancy_add, name="tenancy_add"),
    path("menages/<int:pk>/occupations/<int:tenancy_pk>/", views.tenancy_edit, name="tenancy_edit"),
    path("menages/<int:pk>/dette/ajouter/", views.arrears_add, name="arrears_add"),
    path("menages/<int:pk>/attribution/ajouter/", views.allocation_add, name="allocation_add"),
    path("menages/<int:pk>/procedure/ajouter/", views.procedure_event_add, name="procedure_add"),
    path("signalements/nouveau/", views.situation_report_create, name="report"),
    path("secteurs/", views.sector_list, name="sectors"),
]
