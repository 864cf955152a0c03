from django.utils import timezone

from accounts.dashboards import Section, register
from accounts.enums import Role
from finance import dashboard, perms
from finance.costs import MissingRateError


@register(Role.STEERING, priority=10)
def steering_section(user):
    programme = perms.programmes_for(user).select_related("landlord").first()
    try:
        data = dashboard.cached_plan_vs_actual(programme, today=timezone.localdate()) if programme else None
        error = ""
    except MissingRateError as missing:
        data, error = None, str(missing)
    return Section(
        role=Role.STEERING,
        title="Pilotage — chiffres clés",
        template="finance/_home_steering.html",
        context={"programme": programme, "figures": data, "error": error},
    )
