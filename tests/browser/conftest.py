"""Reusable harness for browser tests: Debian's Chromium driven by Playwright against the live server.

Use the `login_as(user)` fixture to get a logged-in page. Failures keep a screenshot under
var/test-results (pytest-playwright's --screenshot=only-on-failure, set in pyproject.toml).
"""

import shutil

import pytest

from accounts.security import replace_backup_codes

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


BACKUP_CODE = "test-code-01"


@pytest.fixture
def login_as(page, password, transactional_db):
    """Log in through the pages: e-mail and password, then a backup code as second factor."""

    def login(user):
        replace_backup_codes(user, [BACKUP_CODE])
        page.goto("/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours").fill(BACKUP_CODE)
        page.get_by_role("button", name="Valider").click()
        page.wait_for_url("**/")
        return page

    return login
