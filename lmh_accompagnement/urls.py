from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import privacy_views, two_factor
from accounts import views as accounts_views

admin.site.site_header = "Accompagnement — administration"
admin.site.site_title = "Administration Accompagnement"
admin.site.index_title = "Données de référence"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("healthz", accounts_views.healthz, name="healthz"),
    path("readyz", accounts_views.readyz, name="readyz"),
    path("compte/connexion/", accounts_views.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/double-authentification/", two_factor.two_factor, name="two_factor"),
    path("compte/double-authentification/activer/", two_factor.enrol, name="two_factor_enrol"),
    path("compte/codes-de-secours/", two_factor.backup_codes, name="backup_codes"),
    path("compte/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("compte/mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("compte/mot-de-passe-oublie/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("compte/mot-de-passe-oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "compte/reinitialisation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("households.urls")),
    path("", include("measures.urls")),
    path("", include("committee.urls")),
    path("", include("finance.urls")),
    path("journal-des-acces/", privacy_views.access_log_list, name="access_log"),
    path("menages/<int:pk>/export-rgpd/", privacy_views.household_export, name="household_export"),
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
]
