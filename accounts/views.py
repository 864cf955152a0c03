from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import dashboards
from accounts.forms import EmailAuthenticationForm
from accounts.page_cache import cached_page


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


@transaction.non_atomic_requests
@require_GET
@cached_page
def home(request):
    """The user's dashboard: one section per role held, each listing what there is to do."""
    return render(request, "accounts/home.html", {"sections": dashboards.sections_for(request.user)})


@login_not_required
@require_GET
def admin_login(request):
    """The admin has no login page of its own: everyone logs in through the site's page."""
    query = request.GET.urlencode()
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def readyz(request):
    """Ready to serve: the database answers and every migration is applied (503 otherwise)."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001  (any database failure means "not ready")
        return HttpResponse("base de données injoignable", status=503, content_type="text/plain")
    if pending:
        return HttpResponse(f"{len(pending)} migration(s) à appliquer", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
