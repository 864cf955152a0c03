"""A realistic mix of pages for the load test (bench/load): tenancy staff browse lists and files,
referents their home and households and log contacts (a write), steering the dashboard.
Sessions come from bench/load."""

import json
import os
import random
from datetime import date

from locust import HttpUser, between, task

IDS = json.loads(os.environ["LOAD_SESSIONS"])


def log_in(client, session: str) -> None:
    # The cookies a browser holds after logging in (over loopback http, the client would not keep
    # the __Host- cookies the server sets, which are for https only).
    client.cookies.set("__Host-sessionid", session)
    client.cookies.set("__Host-csrftoken", IDS["csrf"])


class Staff(HttpUser):
    weight = 5
    wait_time = between(1, 3)

    def on_start(self):
        log_in(self.client, IDS["staff"])

    @task(4)
    def household_list(self):
        page = random.randint(1, 40)  # noqa: S311
        self.client.get(f"/menages/?track=maintien&page={page}", name="/menages/?track=maintien&page=N")

    @task(3)
    def household_file(self):
        self.client.get(f"/menages/{random.choice(IDS['households'])}/", name="/menages/<id>/")  # noqa: S311

    @task(1)
    def home(self):
        self.client.get("/", name="/ (gestion locative)")


class Referent(HttpUser):
    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        log_in(self.client, IDS["referent"])

    @task(3)
    def home(self):
        self.client.get("/", name="/ (référent)")

    @task(2)
    def household_search(self):
        self.client.get("/menages/?q=Volume+1", name="/menages/?q=…")

    @task(1)
    def log_a_contact(self):
        """A write now and then: it moves the data version, so the pages that follow are produced
        afresh rather than served from the page cache (accounts/page_cache.py)."""
        measure = random.choice(IDS["measures"])  # noqa: S311
        url = f"/mesures/{measure}/contacts/nouveau/"
        self.client.get(url, name="/mesures/<id>/contacts/nouveau/")
        form = {
            "csrfmiddlewaretoken": IDS["csrf"],
            "on": date.today().isoformat(),
            "kind": "phone",
            "duration_minutes": "20",
            "summary": "Point téléphonique (test de charge).",
        }
        with self.client.post(
            url, data=form, name="POST /mesures/<id>/contacts/nouveau/", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"contact non enregistré ({response.status_code})")


class Steering(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        log_in(self.client, IDS["steering"])

    @task
    def dashboard(self):
        self.client.get("/pilotage/", name="/pilotage/")
