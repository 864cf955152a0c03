"""Print the DATABASE_URL to use in development and tests, making sure PostgreSQL answers there.

Order: DATABASE_URL from the environment; else a PostgreSQL on 127.0.0.1:5432 (the database is
created if missing); else a project-local cluster under var/postgres started with the installed
PostgreSQL binaries; else a clear message saying what to install. Never SQLite.
"""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
NAME = "lmh_accompagnement"
LOCAL_DIR = ROOT / "var" / "postgres"
LOCAL_PORT = 5433


def say(message: str) -> None:
    print(message, file=sys.stderr)


def ensure_database(**params) -> bool:
    """Connect to the server's maintenance database and create ours if missing; False if unreachable."""
    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
    except psycopg2.OperationalError:
        return False
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))
            say(f"Base « {NAME} » créée.")
    conn.close()
    return True


def postgres_bindir() -> Path | None:
    candidates = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)  # noqa: S603
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def as_cluster_owner(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres user then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_local_cluster() -> bool:
    bindir = postgres_bindir()
    if bindir is None:
        return False
    data = LOCAL_DIR / "data"
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(LOCAL_DIR, user="postgres")
    if not (data / "PG_VERSION").exists():
        say(f"Création d'un serveur PostgreSQL local dans {data} …")
        subprocess.run(  # noqa: S603
            as_cluster_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = f"-p {LOCAL_PORT} -k {LOCAL_DIR} -c listen_addresses=127.0.0.1"
    log = str(LOCAL_DIR / "server.log")
    subprocess.run(  # noqa: S603
        as_cluster_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", log, "-o", options, "-w", "start"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return ensure_database(host="127.0.0.1", port=LOCAL_PORT, user="postgres")


def main() -> int:
    if url := os.environ.get("DATABASE_URL"):
        print(url)
        return 0
    user = os.environ.get("PGUSER", "postgres")
    if ensure_database(host="127.0.0.1", port=5432, user=user):
        print(f"postgres://{user}@127.0.0.1:5432/{NAME}")
        return 0
    if ensure_database(host="127.0.0.1", port=LOCAL_PORT, user="postgres") or start_local_cluster():
        print(f"postgres://postgres@127.0.0.1:{LOCAL_PORT}/{NAME}")
        return 0
    say(
        "Aucun serveur PostgreSQL n'est joignable et aucun binaire PostgreSQL n'a été trouvé.\n"
        "Installez PostgreSQL 15 ou plus récent (Debian/Ubuntu : apt install postgresql), "
        "ou indiquez une base existante : export DATABASE_URL=postgres://utilisateur@hôte:5432/base"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
