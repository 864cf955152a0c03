from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("pilotage/", views.steering_dashboard, name="dashboard"),
    path("pilotage/rapport.pdf", views.steering_report_pdf, name="dashboard_pdf"),
    path("financement/plan/", views.plan, name="plan"),
    path("financement/etat/", views.funder_statement, name="statement"),
]
