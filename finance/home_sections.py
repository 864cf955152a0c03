from django.utils import timezone

from accounts.dashboards import Section, register
from accounts.enums import Role
from finance import dashboard, perms


@register(Role.STEERING, priority=10)
def steering_section(user):
    programme = perms.programmes_for(user).select_related("landlord").first()
    data = dashboard.cached_plan_vs_actual(programme, today=timezone.localdate()) if programme else None
    return Section(
        role=Role.STEERING,
        title="Pilotage — chiffres clés",
        template="finance/_home_steering.html",
        context={"programme": programme, "figures": data},
    )
