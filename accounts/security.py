"""Login security helpers: throttling keys and two-factor devices."""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

BACKUP_DEVICE_NAME = "Codes de secours"


def axes_username(request, credentials) -> str:
    """Throttle per address whatever its case: « A.Martin@… » and « a.martin@… » are one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def replace_backup_codes(user, codes: list[str] | None = None) -> list[str]:
    """Give the user a fresh set of single-use backup codes (the old ones stop working)."""
    from django.conf import settings

    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(settings.BACKUP_CODES_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def reset_two_factor(user) -> None:
    """Administrator's reset: every device goes; the next login starts a new enrolment."""
    from django_otp import devices_for_user

    for device in devices_for_user(user, confirmed=None):
        device.delete()
