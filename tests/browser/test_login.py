from playwright.sync_api import expect


def test_referent_logs_in_and_sees_their_home_page(login_as, referent):
    page = login_as(referent)

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Amandine Martin")
    expect(page.get_by_role("banner")).to_contain_text("Référent social · EOLE")
    expect(page.get_by_role("heading", name="Référent social — ménages de mon association")).to_be_visible()


def test_wrong_password_shows_a_french_message(page, live_server, referent):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(referent.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(referent.email)
