"""Screenshots of pages as each demo persona sees them, to look at what we ship.

Usage: with `make run` serving the demo data,
    .venv/bin/python bin/screenshots.py [--base http://127.0.0.1:8000] EMAIL:PATH [EMAIL:PATH …]
EMAIL "anonyme" means not logged in. Images go to var/screenshots/.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Accompagnement-Demo-2026"  # noqa: S105  (the demo accounts' documented password)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--code", default="demo-01", help="a demo backup code (single use: rerun seed_demo)")
    parser.add_argument("shots", nargs="+")
    options = parser.parse_args()
    out = ROOT / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for shot in options.shots:
            email, _, path = shot.partition(":")
            context = browser.new_context(
                base_url=options.base, viewport={"width": options.width, "height": 900}, locale="fr-FR"
            )
            page = context.new_page()
            if email != "anonyme":
                page.goto("/compte/connexion/")
                page.get_by_label("Adresse e-mail").fill(email)
                page.get_by_label("Mot de passe").fill(PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours").fill(options.code)
                page.get_by_role("button", name="Valider").click()
                page.wait_for_load_state()
            page.goto(path)
            name = re.sub(r"[^A-Za-z0-9]+", "_", f"{email.split('@')[0]}_{path}").strip("_")
            page.screenshot(path=out / f"{name}.png", full_page=True)
            print(out / f"{name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
