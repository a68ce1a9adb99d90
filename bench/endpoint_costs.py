"""What one request of each endpoint costs, measured inside one process: CPU
milliseconds, wall milliseconds, SQL queries and page size. No HTTP, no
gunicorn, no load generator: the app's own work, to find where a slow
endpoint spends its time.

    BENCH_KEEP_DB=1 .venv/bin/python bench/run.py --teachers 5   # leaves a seeded database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/korea_lessons_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
      DJANGO_SECRET_KEY=any DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_HTTPS=0 \\
      .venv/bin/python bench/endpoint_costs.py [--cprofile NAME] [NAME ...]

It builds its own plan (sessions) from the database, so the secret key may be
any value. `--cprofile NAME` prints the functions of the app and of Django's
template engine where that endpoint spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "korea_lessons.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="endpoints to measure (default: all)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cprofile", metavar="NAME", help="print a profile of this endpoint")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plan_path = Path(tmp) / "plan.json"
        subprocess.run([sys.executable, str(BASE_DIR / "bench" / "plan.py"), "build", str(plan_path)], check=True)
        plan = json.loads(plan_path.read_text())

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    urls = plan["urls"]

    def client(cookies: dict) -> Client:
        c = Client(HTTP_HOST="127.0.0.1")
        for name, value in cookies.items():
            c.cookies[name] = value
        return c

    seat, teacher, big = plan["students"][0], plan["teachers"][0], plan["big_grid"]
    student_client, teacher_client, big_client = (
        client(seat["cookies"]),
        client(teacher["cookies"]),
        client(big["cookies"]),
    )
    anonymous = Client(HTTP_HOST="127.0.0.1")
    state = {"version": seat["version"], "n": 0}

    def autosave():
        state["n"] += 1
        response = student_client.post(
            urls["autosave"].format(assignment=seat["assignment"], prompt=seat["prompt"]),
            json.dumps(
                {
                    "version": state["version"],
                    "body": f"{seat['body']} more{state['n']}",
                    "position": seat["position"] or (seat["positions"][0] if seat["positions"] else ""),
                    "cited_sections": seat["sections"][:1],
                }
            ),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=seat["cookies"]["csrftoken"],
        )
        if response.status_code == 200:
            state["version"] = response.json()["version"]
        return response

    cases = {
        "ping": lambda: anonymous.get(urls["ping"]),
        "page": lambda: student_client.get(urls["page"].format(assignment=seat["assignment"])),
        "autosave": autosave,
        "discussion": lambda: student_client.get(
            urls["discussion"].format(assignment=seat["discussion"][0], prompt=seat["discussion"][1])
        ),
        "grid": lambda: teacher_client.get(urls["grid"].format(assignment=teacher["grids"][0])),
        "grid_big": lambda: big_client.get(urls["grid"].format(assignment=big["assignment"])),
        "review": lambda: teacher_client.get(urls["review"].format(response=teacher["reviews"][0])),
    }
    names = args.names or list(cases)
    print(f"{'endpoint':<11} {'CPU ms':>7} {'wall ms':>8} {'queries':>8} {'SQL ms':>7} {'KB':>6}")
    for name in names:
        request = cases[name]
        for _ in range(3):  # warm: templates compiled, connections open
            response = request()
        if response.status_code != 200:
            print(f"{name:<11} HTTP {response.status_code}")
            continue
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(args.repeat):
                response = request()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = args.repeat
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000 / n
        print(
            f"{name:<11} {cpu * 1000 / n:7.1f} {wall * 1000 / n:8.1f} {len(queries.captured_queries) / n:8.1f} "
            f"{sql_ms:7.1f} {len(response.content) / 1024:6.1f}"
        )
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            cases[args.cprofile]()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"/(lessons|accounts)/|template/(base|defaulttags)|i18n", 30)


if __name__ == "__main__":
    main()
