"""Load test: 50 simulated users for 2 minutes (locust, loopback only) on the volume data.

Writes var/load/locust_stats.csv (and _failures.csv, _stats_history.csv) and prints whether the
targets hold: no failed request, p95 ≤ 500 ms for every page.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

OUT = bench.ROOT / "var" / "load"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="120s")
    parser.add_argument("--households", type=int, default=10000)
    options = parser.parse_args()
    bench.prepare(options.households)
    ids = bench.open_sessions() | {"csrf": bench.CSRF_SECRET}
    OUT.mkdir(parents=True, exist_ok=True)
    server = bench.start_server((os.cpu_count() or 2) * 2 + 1)  # as bench/run and the README
    try:
        subprocess.run(  # noqa: S603
            [
                str(bench.ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(bench.ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(options.users),
                "-r",
                "10",
                "-t",
                options.duration,
                "--host",
                bench.BASE,
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
            ],
            env={**os.environ, "LOAD_SESSIONS": json.dumps(ids)},
            check=False,
        )
    finally:
        bench.stop_server(server)
    with open(OUT / "locust_stats.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
    failures = sum(int(row["Failure Count"]) for row in rows)
    # An exception inside a simulated user (a broken scenario) is a failure too.
    with open(OUT / "locust_exceptions.csv", encoding="utf-8") as handle:
        failures += sum(int(row["Count"]) for row in csv.DictReader(handle))
    slow = [(row["Name"], row["95%"]) for row in rows if float(row["95%"]) > 500]
    print(f"\n{'OK ' if not failures else 'KO '} {failures} requête(s) en échec")
    print(f"{'OK ' if not slow else 'KO '} p95 ≤ 500 ms pour chaque page" + (f" (dépassé : {slow})" if slow else ""))
    return 0 if not failures and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
