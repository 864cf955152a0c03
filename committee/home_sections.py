from django.utils import timezone

from accounts.dashboards import Section, register
from accounts.enums import Role
from committee import perms
from committee.enums import SessionStatus
from committee.models import Session


@register(Role.SECRETARY, priority=10)
def secretary_section(user):
    landlords = perms.secretary_landlords(user)
    sessions = Session.objects.filter(programme__landlord_id__in=landlords)
    upcoming = sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    return Section(
        role=Role.SECRETARY,
        title="Secrétariat du comité — prochaine séance",
        template="committee/_home_secretary.html",
        context={
            "upcoming": upcoming,
            "items": upcoming.items.count() if upcoming else 0,
            "undecided": upcoming.items.filter(decision__isnull=True).count() if upcoming else 0,
            "to_validate": sessions.filter(status=SessionStatus.HELD).order_by("starts_at"),
        },
    )
