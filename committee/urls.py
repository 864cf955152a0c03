from django.urls import path

from committee import views

app_name = "committee"

urlpatterns = [
    path("comite/", views.session_list, name="list"),
    path("comite/nouvelle/", views.session_create, name="create"),
    path("comite/<int:pk>/", views.session_detail, name="detail"),
    path("comite/<int:pk>/participants/", views.attendees_edit, name="attendees"),
    path("comite/<int:pk>/ordre-du-jour/ajouter/", views.agenda_add, name="agenda_add"),
    path("comite/points/<int:item_pk>/decision/", views.decision_edit, name="decision"),
    path("comite/points/<int:item_pk>/<slug:action>/", views.agenda_item_action, name="item_action"),
    path("comite/<int:pk>/etape/<slug:step>/", views.session_step, name="step"),
    path("comite/<int:pk>/pv/projet.pdf", views.minutes_draft, name="minutes_draft"),
    path("comite/<int:pk>/pv/v<int:version>.pdf", views.minutes_download, name="minutes"),
    path("comite/<int:pk>/seance.ics", views.session_ics, name="ics"),
]
