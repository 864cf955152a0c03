"""Benchmark of the main pages against /healthz, measured in one run (see bench/run and the README).

The pages are served from the page cache during the wrk runs (nothing writes meanwhile); the last
column gives the time of a first view, produced afresh after the data version moved.

Starts gunicorn with production settings on a dedicated database holding the volume data
(`seed_volume`), opens logged-in sessions for the volume accounts, then runs wrk on each page and
prints throughput as a ratio to /healthz's, with latency percentiles, and checks the targets.
"""

import argparse
import os
import re
import secrets
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DASHBOARD = "/pilotage/"
# A browser keeps the CSRF cookie the first page gave it and sends it back; so do the benchmarks
# (cached pages are kept per session and CSRF secret, see accounts/page_cache.py).
CSRF_SECRET = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lmh_bench")


def env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 50),
        "SALT_KEY": "bench-salt",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # One cache for all the workers, as in production.
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
    }


def manage(*args, capture=False):
    return subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=ROOT, env=env(), check=True, text=True, capture_output=capture
    )


def prepare(households: int) -> None:
    import psycopg2

    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    manage("migrate", "--no-input", "-v0")
    probe = "from households.models import Household as H; print(H.objects.filter(landlord__short_name='VOL').count())"
    existing = int(manage("shell", "-v0", "-c", probe, capture=True).stdout.strip() or 0)
    if existing == 0:
        print(f"Création des données de volume ({households} ménages)…", flush=True)
        manage("seed_volume", "--households", str(households))
    manage("collectstatic", "--no-input", "-v0")


SESSIONS = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from accounts.middleware import LAST_SEEN, LOGIN_AT
from accounts.models import User
from committee.models import Session
from households.models import Household
out = {}
for key, email in {"staff": "vol.gestion@volume.example", "referent": "vol.referent1@volume.example",
                   "steering": "vol.pilotage@volume.example", "secretary": "vol.secretariat@volume.example"}.items():
    user = User.objects.get(email=email)
    device = StaticDevice.objects.filter(user=user).first()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[LOGIN_AT] = store[LAST_SEEN] = timezone.now().isoformat()
    store.create()
    out[key] = store.session_key
households = Household.objects.filter(landlord__short_name="VOL", status="accompanied").order_by("pk")
out["household"] = households[500].pk
out["households"] = list(households.values_list("pk", flat=True)[:200])
out["session"] = max(Session.objects.filter(programme__landlord__short_name="VOL"), key=lambda s: s.items.count()).pk
out["items"] = Session.objects.get(pk=out["session"]).items.count()
from measures.models import Measure
referent = User.objects.get(email="vol.referent1@volume.example")
out["measures"] = list(
    Measure.objects.filter(status="active", assignments__referent=referent, assignments__end__isnull=True)
    .order_by("pk").values_list("pk", flat=True)[:20]
)
print(json.dumps(out))
"""


EXPIRE_FIGURES = """
from django.utils import timezone
from committee.models import Programme
from finance import dashboard
for programme in Programme.objects.filter(landlord__short_name="VOL"):
    dashboard.expire(programme, today=timezone.localdate())
"""


def expire_figures() -> None:
    """Makes the steering figures due (finance/dashboard.py): the next request computes them."""
    manage("shell", "-v0", "-c", EXPIRE_FIGURES)


def open_sessions() -> dict:
    """Logged-in sessions (second factor given) of the volume accounts, and ids of objects to visit."""
    import json

    return json.loads(manage("shell", "-v0", "-c", SESSIONS, capture=True).stdout.strip().splitlines()[-1])


def start_server(workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "lmh_accompagnement.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(ROOT / "var" / "bench-gunicorn.log"),
        ],
        cwd=ROOT,
        env=env(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    return server


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def wrk(path: str, cookie: str | None, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookies(cookie)}"]
    output = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", line)}


def cookies(session: str) -> str:
    return f"__Host-sessionid={session}; __Host-csrftoken={CSRF_SECRET}"


def timed_get(path: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookies(cookie)})  # noqa: S310
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
        return time.perf_counter() - started, response.status


def first_view(path: str, cookie: str) -> float:
    """Seconds to produce `path` right after the data changed: the best of three, each after
    moving the data version as a committed write would (accounts/data_version.py). The steering
    figures are kept 5 minutes whatever changes: for the dashboard, after making them due."""
    import psycopg2

    connection = psycopg2.connect(DATABASE_URL)
    connection.autocommit = True
    timings = []
    try:
        for _ in range(3):
            if path == DASHBOARD:
                expire_figures()
            with connection.cursor() as cursor:
                cursor.execute("UPDATE accounts_dataversion SET value = value + 1 WHERE id = 1")
            timings.append(timed_get(path, cookie)[0])
    finally:
        connection.close()
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="secondes de mesure par page")
    parser.add_argument("--connections", type=int, default=8)
    # gunicorn's advice, as in the README's deployment: two workers per core, plus one.
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    options = parser.parse_args()
    prepare(options.households)
    ids = open_sessions()
    server = start_server(options.workers)
    try:
        pages = [
            ("/healthz", None, "healthz"),
            ("/menages/?track=maintien&status=accompanied", ids["staff"], "Liste des ménages (filtrée, page 1)"),
            ("/menages/?track=maintien&page=250", ids["staff"], "Liste des ménages (page 250)"),
            (f"/menages/{ids['household']}/", ids["staff"], "Dossier d'un ménage"),
            ("/", ids["referent"], "Accueil du référent"),
            (DASHBOARD, ids["steering"], "Tableau de pilotage (recalcul en cours)"),
            (
                f"/comite/{ids['session']}/pv/projet.pdf",
                ids["secretary"],
                f"PV d'une séance de {ids['items']} points (PDF)",
            ),
        ]
        # Warm every page once (caches, connections), then measure.
        for path, cookie, _ in pages:
            if cookie:
                timed_get(path, cookie)
        pdf_seconds = min(timed_get(pages[-1][0], pages[-1][1])[0] for _ in range(3))
        # The first view after a write, produced afresh (the page cache serves the wrk runs).
        first_views = {label: first_view(path, cookie) for path, cookie, label in pages if cookie}
        results = []
        for path, cookie, label in pages:
            connections = 2 if path.endswith(".pdf") else options.connections
            if path == DASHBOARD:
                # The worst case of any 5 minutes: the figures fall due as the measure starts, one
                # request computes them (about a second) while the others keep being served.
                expire_figures()
            results.append((label, wrk(path, cookie, options.duration, connections)))
        # /healthz again at the end: its throughput drifts by a quarter within a run on this machine,
        # so the ratios are taken to the mean of the two measures.
        closing = wrk("/healthz", None, options.duration, options.connections)
    finally:
        stop_server(server)
    opening = results[0][1]
    base = (opening["rps"] + closing["rps"]) / 2
    print(f"\n/healthz : {opening['rps']:.0f} req/s au début, {closing['rps']:.0f} à la fin ; ratios à la moyenne.")
    print(
        f"\n{'Page':<46} {'req/s':>8} {'× healthz':>10} {'p50 ms':>8} {'p95 ms':>8} {'erreurs':>8} {'1re vue ms':>11}"
    )
    for label, r in results:
        ratio, errors = r["rps"] / base, int(r["errors"])
        first = f"{first_views[label] * 1000:.0f}" if label in first_views else "—"
        print(f"{label:<46} {r['rps']:>8.1f} {ratio:>10.2f} {r['p50']:>8.1f} {r['p95']:>8.1f} {errors:>8} {first:>11}")
    checks = [
        ("Listes et dossier ≥ 0,30 × /healthz", all(r["rps"] / base >= 0.30 for _, r in results[1:4])),
        ("Tableau de pilotage : p95 ≤ 300 ms", results[5][1]["p95"] <= 300),
        (f"PV de {ids['items']} points en moins de 2 s ({pdf_seconds:.2f} s)", pdf_seconds < 2),
        ("Aucune erreur", all(r["errors"] == 0 for _, r in results)),
    ]
    print()
    for label, ok in checks:
        print(f"{'OK ' if ok else 'KO '} {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
