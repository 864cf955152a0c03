from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from households.enums import OfferKind
from households.procedure import add_months
from tests.households.factories import DwellingFactory


def test_tenancy_staff_logs_a_situation_and_sees_the_next_deadline(login_as, tenancy_staff, landlord):
    dwelling = DwellingFactory(landlord=landlord, reference="LMH-LIL-2040", offer_kind=OfferKind.EXISTING)
    payment_order_on = timezone.localdate() - timedelta(days=10)
    page = login_as(tenancy_staff)

    page.get_by_role("link", name="Signaler une situation").first.click()
    page.get_by_label("Nom du ménage").fill("Famille Wattel")
    page.get_by_label("Nom du chef de ménage").fill("Wattel")
    page.get_by_label("Prénoms").fill("Karine")
    page.get_by_label("Date de naissance").fill("1984-03-12")
    page.get_by_label("Logement occupé").select_option(label=str(dwelling))
    page.get_by_label("Locataire depuis le").fill("2019-09-01")
    page.get_by_label("Impayés de loyer").check()
    page.get_by_label("Dette locative (€)").fill("2350.40")
    page.get_by_label("Stade de la procédure").select_option(label="Commandement de payer")
    page.get_by_label("Date de cette étape").fill(payment_order_on.isoformat())
    page.get_by_label("Commentaire").fill("Trois mois d'impayés ; courrier de relance du 02/10 resté sans réponse.")
    page.get_by_role("button", name="Enregistrer le signalement").click()

    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text("Signalement enregistré")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Famille Wattel")
    # The lease began before 29/07/2023: the payment order keeps its 2-month delay.
    due = add_months(payment_order_on, 2)
    expect(page.locator(".file-header")).to_contain_text(f"Fin du délai du commandement de payer : {due:%d/%m/%Y}")
    expect(page.get_by_role("main")).to_contain_text(f"{payment_order_on:%d/%m/%Y} Commandement de payer")
    page.get_by_role("link", name="Situation").click()
    expect(page.get_by_role("main")).to_contain_text("2 350,40 €")
    expect(page.get_by_role("main")).to_contain_text("Trois mois d'impayés")
