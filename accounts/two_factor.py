"""Second factor: TOTP (an authenticator application) or single-use backup codes."""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import replace_backup_codes

ENROL_DEVICE_NAME = "Application d'authentification"
NEW_CODES = "new_backup_codes"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres de votre application, ou un code de secours",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{_enrol_url()}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is None:
            form.add_error(
                "token",
                "Code incorrect ou déjà utilisé. Vérifiez l'heure de votre téléphone, ou utilisez un code de secours.",
            )
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(request, "registration/two_factor.html", {"form": form, "next": _next(request)})


def _enrol_url():
    from django.urls import reverse

    return reverse("two_factor_enrol")


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Enrol an authenticator application: scan the QR code, type one code to confirm."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("two_factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=ENROL_DEVICE_NAME, confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[NEW_CODES] = replace_backup_codes(request.user)
            messages.success(request, "Double authentification activée.")
            request.session["after_backup_codes"] = _next(request)
            return redirect("backup_codes")
        form.add_error(
            "token", "Ce code ne correspond pas : vérifiez que l'heure de votre téléphone est juste, puis réessayez."
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": qr.svg_data_uri(scale=5),
            "secret": base64.b32encode(device.bin_key).decode(),
            "next": _next(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """The codes are shown once, right after they are made; the user may make a new set."""
    if not request.user.is_verified():
        return redirect("two_factor")
    if request.method == "POST":
        request.session[NEW_CODES] = replace_backup_codes(request.user)
        messages.success(request, "Nouveaux codes de secours : les anciens ne fonctionnent plus.")
        return redirect("backup_codes")
    codes = request.session.pop(NEW_CODES, None)
    has_app = any(isinstance(d, TOTPDevice) for d in devices_for_user(request.user))
    return render(
        request,
        "registration/backup_codes.html",
        {
            "codes": codes,
            "count": settings.BACKUP_CODES_COUNT,
            "has_app": has_app,
            "continue_to": request.session.pop("after_backup_codes", "/"),
        },
    )
