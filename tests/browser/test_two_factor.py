"""First login of a new user in a real browser: the password, then the enrolment of an authenticator
application (the secret read on the page, the code computed as the application would), the backup
codes shown once, then the home page."""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

CODE_FIELD = "Code à 6 chiffres de votre application, ou un code de secours"


def test_new_user_enrols_an_authenticator_sees_backup_codes_then_reaches_home(
    transactional_db, page, live_server, referent, password
):
    # The enrolment page must work under the content security policy (its QR code is a data: image).
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    heading = page.get_by_role("heading", level=1)

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(referent.email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()

    expect(heading).to_have_text("Activer la double authentification")
    qr = page.get_by_role("img", name="Code QR à scanner avec votre application d'authentification")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    secret = page.locator("code.user-select-all").inner_text().strip()
    assert base64.b32decode(secret) == TOTPDevice.objects.get(user=referent, confirmed=False).bin_key
    page.get_by_label(CODE_FIELD).fill(f"{totp(base64.b32decode(secret)):06d}")
    page.get_by_role("button", name="Activer").click()

    expect(heading).to_have_text("Codes de secours")
    expect(page.get_by_role("status").filter(has_text="Double authentification activée.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Notez ces 10 codes")).to_contain_text("ne seront plus affichés")
    codes = page.locator("ul.backup-codes li")
    expect(codes).to_have_count(10)
    stored = StaticToken.objects.filter(device__user=referent).values_list("token", flat=True)
    assert sorted(codes.all_inner_texts()) == sorted(stored)
    assert TOTPDevice.objects.get(user=referent).confirmed

    page.get_by_role("link", name="Continuer", exact=True).click()

    expect(heading).to_have_text("Bonjour Amandine Martin")
    assert page.url == f"{live_server.url}/"
    assert refused == []
