"""`make bench`: what the app costs under a real school's load, in one command.

    .venv/bin/python bench/run.py              # the benchmark (under 5 minutes on 2 cores)
    .venv/bin/python bench/run.py --scaleout   # two app servers behind nginx, one killed mid-load

It creates its own PostgreSQL database (korea_lessons_bench, dropped at the end)
and uses Redis database 2 (flushed before and after), seeds a school of 7,500
students, starts gunicorn with production settings on 127.0.0.1, and drives
it with locust: every request goes to 127.0.0.1 and every phase stops by
itself. The report goes to bench/results/<date>.md and .json.

Environment (all optional):
  BENCH_POSTGRES    server URL without a database (default postgres://postgres@127.0.0.1:5432)
  BENCH_DB_NAME     database to create and drop (default korea_lessons_bench)
  BENCH_REDIS_URL   Redis database to use and flush (default redis://127.0.0.1:6379/2)
  BENCH_KEEP_DB=1   keep the database afterwards (to profile by hand)
See bench/README.md for what is measured and how to read the report.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
RESULTS_DIR = BENCH_DIR / "results"
PY = sys.executable
BIN = Path(PY).parent
PASSWORD = "bench-school-1950"
HOST = "127.0.0.1"

# What the issue asks for (see bench/README.md).
TARGETS = {
    "page_ratio": 0.30,
    "autosave_ratio": 0.40,
    "active_students": 2000,
    "step_p95_ms": 200,
    "bell_students": 300,
    "bell_p95_ms": 1000,
    "grid_big_p95_ms": 150,
}
# Throughput phases: closed loop, no think time; concurrency and seconds each.
THROUGHPUT = [
    ("ceiling", "ceiling /ping"),
    ("page", "assignment page"),
    ("autosave", "autosave"),
    ("discussion", "discussion"),
    ("grid", "progress grid (30)"),
    ("review", "review answer"),
]
THROUGHPUT_USERS = 10
THROUGHPUT_SECONDS = 7
THROUGHPUT_WARMUP = 2


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Tools ---------------------------------------------------------------------------------------


def ensure_locust() -> None:
    if subprocess.run([PY, "-c", "import locust"], capture_output=True).returncode == 0:
        return
    log("installing the load-test tools (bench/requirements.txt) into the virtualenv")
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "-r", str(BENCH_DIR / "requirements.txt")], check=True)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def ensure_nginx() -> str:
    found = nginx_binary()
    if found:
        return found
    log("installing nginx (Debian package) for the load balancer")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "nginx-light"], check=False)
    found = nginx_binary()
    if not found:
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "nginx"], check=True)
        found = nginx_binary()
    if not found:
        raise SystemExit("nginx could not be installed")
    return found


def raise_priority() -> None:
    """Run the app servers and locust ahead of other work on a shared machine (root only):
    a benchmark should measure the app, not whatever else the machine is doing."""
    step = int(os.environ.get("BENCH_NICE", "-10"))
    if step < 0 and os.geteuid() != 0:
        return
    with contextlib.suppress(OSError):
        os.nice(step)
    # With the kernel's autogroup scheduling, CPU is shared between sessions first and nice
    # only counts inside one: the new session (start_new_session) gets the priority too.
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as autogroup:
        autogroup.write(str(step))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# The database and the cache ------------------------------------------------------------------


class Stores:
    def __init__(self):
        self.server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        self.name = os.environ.get("BENCH_DB_NAME", "korea_lessons_bench")
        self.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
        self.database_url = f"{self.server}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        import psycopg
        import redis

        try:
            self.drop()
            self._admin(f'CREATE DATABASE "{self.name}"')
        except psycopg.OperationalError as error:
            raise SystemExit(f"PostgreSQL is not reachable at {self.server} (set BENCH_POSTGRES): {error}")
        try:
            redis.Redis.from_url(self.redis_url).ping()
        except redis.RedisError as error:
            raise SystemExit(f"Redis is not reachable at {self.redis_url} (set BENCH_REDIS_URL): {error}")

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def versions(self) -> dict[str, str]:
        import psycopg
        import redis

        try:
            with psycopg.connect(f"{self.server}/postgres") as conn:
                pg = conn.execute("SHOW server_version").fetchone()[0]
            return {"postgresql": pg, "redis": redis.Redis.from_url(self.redis_url).info()["redis_version"]}
        except (psycopg.Error, redis.RedisError):
            return {"postgresql": "unreachable", "redis": "unreachable"}  # create() says which, and stops


def app_env(stores: Stores, secret_key: str, allowed_hosts: str = "127.0.0.1,localhost") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "korea_lessons.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_TESTING": "0",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_HTTPS": "0",  # plain HTTP on loopback
            "DJANGO_ALLOWED_HOSTS": allowed_hosts,
            "DATABASE_URL": stores.database_url,
            "REDIS_URL": stores.redis_url,
            # Sign-in is measured on purpose; lockouts would only measure axes.
            "AXES_FAILURE_LIMIT": "1000000",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("DJANGO_TEST_DB_NAME", None)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, str(BASE_DIR / "manage.py"), *args], env=env, cwd=BASE_DIR, check=True)


def static_out_of_date() -> bool:
    """collectstatic compresses every file (a minute on 2 cores): run it only when a source
    file is newer than the manifest it wrote last time (staticfiles/ is not committed)."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [BASE_DIR / "static", BASE_DIR / "node_modules" / "bootstrap" / "dist"]
    return any(path.stat().st_mtime > built for root in sources if root.exists() for path in root.rglob("*"))


def postgres_cpu_seconds(database: str) -> dict[int, float]:
    """CPU used so far by each PostgreSQL backend serving the benchmark's database."""
    import psutil

    found = {}
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info.get("cmdline") or [])
        if cmdline.startswith("postgres:") and f" {database} " in f"{cmdline} ":
            try:
                times = proc.cpu_times()
                found[proc.pid] = times.user + times.system
            except psutil.Error:
                pass
    return found


def prepare(stores: Stores, env: dict, work: Path, *, teachers: int) -> dict:
    """A fresh database with the unit and the school, static files, and the load plan."""
    timings = {}
    started = time.monotonic()
    # collectstatic (whitenoise compresses every file) runs beside the seeding, not after it.
    collecting = None
    if static_out_of_date():
        with open(work / "collectstatic.log", "ab") as out:
            collecting = subprocess.Popen(
                [PY, str(BASE_DIR / "manage.py"), "collectstatic", "--noinput", "-v0"],
                env=env,
                cwd=BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
    stores.create()
    stores.flush_redis()
    manage(env, "migrate", "--noinput", "-v0")
    timings["migrate_s"] = round(time.monotonic() - started, 1)
    t = time.monotonic()
    manage(env, "load_unit")
    manage(env, "seed_school", "--teachers", str(teachers), "--password", PASSWORD)
    timings["seed_s"] = round(time.monotonic() - t, 1)
    t = time.monotonic()
    if collecting is not None and collecting.wait() != 0:
        raise SystemExit(f"collectstatic failed; see {work / 'collectstatic.log'}")
    timings["collectstatic_wait_s"] = round(time.monotonic() - t, 1)
    t = time.monotonic()
    subprocess.run(
        [PY, str(BENCH_DIR / "plan.py"), "build", str(work / "plan.json")], env=env, cwd=BASE_DIR, check=True
    )
    timings["plan_s"] = round(time.monotonic() - t, 1)
    return timings


# App servers, nginx and locust ---------------------------------------------------------------


class Server:
    """One gunicorn, in its own process group so that it (and only it) can be stopped or killed."""

    def __init__(
        self, env: dict, port: int, work: Path, *, workers: int | None = None, name: str = "app"
    ):
        self.port = port
        self.env = dict(env, GUNICORN_BIND=f"{HOST}:{port}", GUNICORN_PROC_NAME=f"kl_bench_{name}")
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.log_path = work / f"gunicorn-{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(BASE_DIR / "gunicorn.conf.py"), "korea_lessons.wsgi"],
                env=self.env,
                cwd=BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=raise_priority,
            )
        wait_until_up(f"http://{HOST}:{self.port}/healthz", self.proc)

    def cpu_seconds(self) -> float:
        import psutil

        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except (psutil.Error, AttributeError):
            return 0.0
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def kill(self) -> None:
        """SIGKILL to the whole process group: a crashed machine, not a graceful stop."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until_up(url: str, proc: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server exited at start (see its log); {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def run_locust(
    scenario: str,
    work: Path,
    host: str,
    *,
    users: int | None,
    seconds: float,
    env: dict,
    servers: list[Server] = (),
    spawn_rate: int | None = None,
    extra: dict | None = None,
    during=None,
) -> dict:
    """One bounded locust run; returns its measurements (and the CPU used by the server and by locust)."""
    import psutil

    out = work / f"locust-{scenario}.json"
    out.unlink(missing_ok=True)
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(BENCH_DIR / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "-H",
        host,
        "-t",
        f"{int(seconds)}s",
        "--stop-timeout",
        "5",
    ]
    if users is not None:
        cmd += ["-u", str(users), "-r", str(spawn_rate or users)]
    locust_env = dict(
        env,
        BENCH_PLAN=str(work / "plan.json"),
        BENCH_SCENARIO=scenario,
        BENCH_OUT=str(out),
        BENCH_PASSWORD=PASSWORD,
        BENCH_HOST=host,
        **(extra or {}),
    )
    server_cpu = sum(s.cpu_seconds() for s in servers)
    database = os.environ.get("BENCH_DB_NAME", "korea_lessons_bench")
    pg_before = postgres_cpu_seconds(database)
    started = time.monotonic()
    with open(work / f"locust-{scenario}.log", "ab") as log_file:
        proc = subprocess.Popen(
            cmd,
            env=locust_env,
            cwd=BASE_DIR,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=raise_priority,
        )
        generator = psutil.Process(proc.pid)
        locust_cpu = 0.0
        if during is not None:
            during(proc)
        while proc.poll() is None:
            try:
                times = generator.cpu_times()
                locust_cpu = times.user + times.system
            except psutil.Error:
                pass
            if time.monotonic() - started > seconds + 60:
                proc.kill()
                raise SystemExit(f"locust ({scenario}) did not stop by itself")
            time.sleep(0.25)
    wall = time.monotonic() - started
    pg_after = postgres_cpu_seconds(database)
    pg_cpu = sum(used - pg_before.get(pid, 0.0) for pid, used in pg_after.items())
    if not out.exists():
        raise SystemExit(f"locust ({scenario}) wrote no results; see {work / f'locust-{scenario}.log'}")
    result = json.loads(out.read_text())
    result["cpu"] = {
        "wall_s": round(wall, 1),
        "server_cores": round((sum(s.cpu_seconds() for s in servers) - server_cpu) / wall, 2),
        "load_generator_cores": round(locust_cpu / wall, 2),
        "postgres_cores": round(pg_cpu / wall, 2),
        "machine_load_average": round(os.getloadavg()[0], 2),
    }
    return result


# The benchmark ---------------------------------------------------------------------------------


def code_version() -> str:
    """The commit the servers load, and whether the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=BASE_DIR, capture_output=True, text=True
    )
    n = len([line for line in changed.stdout.splitlines() if line.strip()])
    return head.stdout.strip() + (f" (+ {n} uncommitted changed files)" if n else "")


def machine_info(stores: Stores, workers: int) -> dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "gunicorn_workers": workers,
        "priority": f"nice {os.environ.get('BENCH_NICE', '-10')} for gunicorn and locust"
        if os.geteuid() == 0
        else "normal",
        "commit": commit.stdout.strip(),
        **stores.versions(),
    }


def verify(env: dict, work: Path, submitted_file: Path, seats_key: str) -> dict:
    out = work / f"verify-{seats_key}.json"
    subprocess.run(
        [PY, str(BENCH_DIR / "plan.py"), "verify", str(work / "plan.json"), str(submitted_file), seats_key, str(out)],
        env=env,
        cwd=BASE_DIR,
        check=True,
    )
    return json.loads(out.read_text())


def bench(args) -> dict:
    stores = Stores()
    secret = secrets.token_urlsafe(50)
    env = app_env(stores, secret)
    workers = int(os.environ.get("GUNICORN_WORKERS") or (os.cpu_count() or 1) * 2 + 1)
    report: dict = {
        "kind": "bench",
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    report["machine"] = machine_info(stores, workers)
    total = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kl-bench-") as tmp:
        work = Path(tmp)
        log(f"seeding a school of {args.teachers * 150:,} students into {stores.name}")
        report["setup"] = prepare(stores, env, work, teachers=args.teachers)
        plan = json.loads((work / "plan.json").read_text())
        report["school"] = plan["counts"]
        server = Server(env, free_port(), work, workers=workers)
        host = f"http://{HOST}:{server.port}"
        report["machine"]["code"] = code_version()
        server.start()
        try:
            report["phases"] = run_phases(args, work, host, env, server, plan)
        finally:
            server.stop()
            if os.environ.get("BENCH_KEEP_DB") != "1":
                stores.drop()
                stores.flush_redis()
    report["total_s"] = round(time.monotonic() - total, 1)
    report["summary"] = summarise_bench(report)
    return report


def run_phases(args, work: Path, host: str, env: dict, server: Server, plan: dict) -> dict:
    phases: dict = {}
    # Warm every worker (imports, template loading, connections) before measuring.
    for _ in range(30):
        for path in ("/ping", "/healthz"):
            urllib.request.urlopen(host + path, timeout=10).read()
    seconds = args.phase_seconds
    for scenario, _label in THROUGHPUT:
        log(f"throughput: {scenario} ({THROUGHPUT_USERS} users, {seconds} s, no think time)")
        phases[scenario] = run_locust(
            scenario,
            work,
            host,
            users=THROUGHPUT_USERS,
            seconds=seconds,
            env=env,
            servers=[server],
            extra={"BENCH_WARMUP": str(THROUGHPUT_WARMUP)},
        )
    log("latency: the progress grid of the 150-student class (2 teachers at once)")
    phases["grid_big"] = run_locust(
        "grid_big",
        work,
        host,
        users=2,
        seconds=seconds,
        env=env,
        servers=[server],
        extra={"BENCH_WARMUP": str(THROUGHPUT_WARMUP)},
    )
    log("sign-in: 4 at a time (the password hasher's real cost)")
    phases["login"] = run_locust(
        "login",
        work,
        host,
        users=4,
        seconds=seconds,
        env=env,
        servers=[server],
        extra={"BENCH_WARMUP": str(THROUGHPUT_WARMUP)},
    )
    log(f"the bell: {len(plan['bell'])} students submit within the same second")
    bell_at = time.time() + 5
    phases["bell"] = run_locust(
        "bell",
        work,
        host,
        users=len(plan["bell"]),
        spawn_rate=1000,
        seconds=40,
        env=env,
        servers=[server],
        extra={"BENCH_BELL_AT": str(bell_at), "BENCH_WARMUP": "0"},
    )
    submitted = work / "bell-submitted.json"
    submitted.write_text(json.dumps(phases["bell"]["submitted"]))
    phases["bell"]["verified"] = verify(env, work, submitted, "bell")
    confirmed = phases["bell"]["submitted"]
    if confirmed:
        # From the first hand-in sent to the last one answered: how long the bell lasted for the server.
        first = min(c["at"] for c in confirmed)
        last = max(c["at"] + c["ms"] / 1000 for c in confirmed)
        phases["bell"]["span_s"] = round(last - first, 2)
    phases["bell"]["submitted"] = len(confirmed)
    steps = args.steps
    max_steps, step_seconds = int(steps.split(",")[6]), float(steps.split(",")[3])
    log(f"step search: active students, p95 < {TARGETS['step_p95_ms']} ms and no errors (at most {max_steps} steps)")
    phases["mix"] = run_locust(
        "mix",
        work,
        host,
        users=None,
        seconds=max_steps * (step_seconds + 20) + 5,
        env=env,
        servers=[server],
        extra={"BENCH_STEPS": steps, "BENCH_WARMUP": "0"},
    )
    phases["mix"].pop("endpoints", None)
    return phases


def summarise_bench(report: dict) -> dict:
    phases = report["phases"]

    def endpoint(phase: str, name: str) -> dict:
        return phases[phase]["endpoints"].get(name, {"rps": 0, "p95_ms": 0, "errors": 0, "requests": 0})

    ceiling = endpoint("ceiling", "ceiling /ping")["rps"] or 1
    rows = []
    for scenario, name in [*THROUGHPUT, ("grid_big", f"progress grid ({report['school'].get('big_class', 150)})")]:
        stats = phases[scenario]["endpoints"]
        if scenario == "grid_big":
            name = next(iter(stats), name)
        data = stats.get(name, {})
        rows.append({"endpoint": name, **data, "ratio_to_ceiling": round(data.get("rps", 0) / ceiling, 3)})
    login = phases["login"]["endpoints"].get("sign in (POST)", {})
    steps = phases["mix"].get("steps", [])
    held = max((s["students"] for s in steps if s["passed"]), default=0)
    bell = phases["bell"]
    bell_stats = bell["endpoints"].get("submit (bell)", {})
    grid_big = next(iter(phases["grid_big"]["endpoints"].values()), {})
    page_ratio = endpoint("page", "assignment page")["rps"] / ceiling
    autosave_ratio = endpoint("autosave", "autosave")["rps"] / ceiling
    bell_saved = bell["verified"]["saved_once"]
    targets = [
        {
            "target": "assignment page ≥ 30 % of the ceiling's requests/s",
            "measured": f"{page_ratio:.1%}",
            "met": page_ratio >= TARGETS["page_ratio"],
        },
        {
            "target": "autosave ≥ 40 % of the ceiling's requests/s",
            "measured": f"{autosave_ratio:.1%}",
            "met": autosave_ratio >= TARGETS["autosave_ratio"],
        },
        {
            "target": "≥ 2,000 active students with p95 < 200 ms and 0 errors",
            "measured": f"{held:,} students",
            "met": held >= TARGETS["active_students"],
        },
        {
            "target": "the bell: all 300 submissions saved, p95 < 1 s",
            "measured": f"{bell_saved} of {len(report.get('bell_seats', [])) or bell['verified']['expected']} saved "
            f"once, p95 {bell_stats.get('p95_ms', 0):.0f} ms",
            "met": bell_saved == bell["verified"]["expected"] == TARGETS["bell_students"]
            and bell_stats.get("p95_ms", 1e9) < TARGETS["bell_p95_ms"]
            and bell_stats.get("errors", 1) == 0,
        },
        {
            "target": "progress grid for a 150-student roster: p95 < 150 ms",
            "measured": f"p95 {grid_big.get('p95_ms', 0):.0f} ms",
            "met": 0 < grid_big.get("p95_ms", 0) < TARGETS["grid_big_p95_ms"],
        },
    ]
    return {
        "ceiling_rps": ceiling,
        "endpoints": rows,
        "sign_in": login,
        "active_students_held": held,
        "steps": [
            {
                k: s.get(k)
                for k in (
                    "students",
                    "teachers",
                    "requests",
                    "errors",
                    "rps",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "passed",
                    "load_average",
                )
            }
            for s in steps
        ],
        "bell": {**bell_stats, **bell["verified"], "cpu": bell["cpu"], "span_s": bell.get("span_s")},
        "targets": targets,
    }


# Scale-out ---------------------------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream korea_lessons {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=10s;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://korea_lessons;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A request the dead server never answered goes to the other one; POSTs are not
            # retried (nginx's default for non-idempotent requests), so nothing is sent twice.
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, work: Path, port: int, port_a: int, port_b: int):
        self.binary = ensure_nginx()
        self.work = work
        self.port = port
        self.conf = work / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf.write_text(NGINX_CONF.format(work=work, port=port, port_a=port_a, port_b=port_b, user=user))
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "-c", str(self.conf), "-p", str(self.work), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.work / "nginx-stderr.log", "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_until_up(f"http://{HOST}:{self.port}/healthz", self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def sign_in(base: str, username: str) -> CookieJar:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=10).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data), timeout=30).read()
    return jar


def whoami(base: str, jar: CookieJar, username: str) -> bool:
    """True when /learn/ at `base` shows the signed-in student (not the sign-in page)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/learn/", timeout=10) as response:
        page = response.read().decode()
        return response.geturl().endswith("/learn/") and ("Student " in page or username in page)


def scaleout(args) -> dict:
    stores = Stores()
    secret = secrets.token_urlsafe(50)
    env = app_env(stores, secret)
    per_server = max(2, os.cpu_count() or 1) + 1
    report: dict = {
        "kind": "scaleout",
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    report["machine"] = machine_info(stores, per_server)
    total = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kl-scaleout-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        log(f"seeding a school of {args.teachers * 150:,} students into {stores.name}")
        report["setup"] = prepare(stores, env, work, teachers=args.teachers)
        plan = json.loads((work / "plan.json").read_text())
        a = Server(env, free_port(), work, workers=per_server, name="a")
        b = Server(env, free_port(), work, workers=per_server, name="b")
        nginx = Nginx(work, free_port(), a.port, b.port)
        report["machine"]["code"] = code_version()
        try:
            a.start()
            b.start()
            nginx.start()
            lb = f"http://{HOST}:{nginx.port}"
            username = plan["login"][0]
            jar = sign_in(f"http://{HOST}:{a.port}", username)
            report["shared_session"] = {
                "signed_in_through": f"server A (:{a.port})",
                "works_on_server_b": whoami(f"http://{HOST}:{b.port}", jar, username),
                "works_through_nginx": whoami(lb, jar, username),
            }
            log(f"shared session: {report['shared_session']}")
            kill_after = args.kill_after

            def kill_a_later(proc):
                def killer():
                    time.sleep(kill_after)
                    if proc.poll() is None:
                        log(f"killing app server A (:{a.port}) with SIGKILL mid-load")
                        a.kill()
                        report["killed_at_s"] = kill_after

                import threading

                threading.Thread(target=killer, daemon=True).start()

            log(
                f"load through nginx: {args.scaleout_users} students for {args.scaleout_seconds} s; A dies at {kill_after} s"
            )
            result = run_locust(
                "scaleout",
                work,
                lb,
                users=args.scaleout_users,
                spawn_rate=200,
                seconds=args.scaleout_seconds,
                env=env,
                servers=[a, b],
                extra={"BENCH_WARMUP": "0"},
                during=kill_a_later,
            )
            submitted = work / "scaleout-submitted.json"
            submitted.write_text(json.dumps(result["submitted"]))
            result["verified"] = verify(env, work, submitted, "students")
            result["submitted"] = len(result["submitted"])
            report["load"] = result
            report["server_b_alive_after"] = b.proc.poll() is None
        finally:
            nginx.stop()
            a.stop()
            b.stop()
            if os.environ.get("BENCH_KEEP_DB") != "1":
                stores.drop()
                stores.flush_redis()
    report["total_s"] = round(time.monotonic() - total, 1)
    verified = report["load"]["verified"]
    report["passed"] = bool(
        report["shared_session"]["works_on_server_b"]
        and report["shared_session"]["works_through_nginx"]
        and verified["confirmed"] > 0
        and verified["saved_once"] == verified["confirmed"]
        and not verified["doubled"]
        and not verified["missing"]
    )
    return report


# Reports ---------------------------------------------------------------------------------------


def write_report(report: dict, *, suffix: str = "") -> Path:
    from report import render_bench, render_scaleout  # bench/report.py

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    # A new run never overwrites an earlier report (committed ones carry their analysis).
    base = datetime.date.today().isoformat()
    stem, n = base + suffix, 1
    while (RESULTS_DIR / f"{stem}.md").exists():
        n += 1
        stem = f"{base}-{n}{suffix}"
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    text = render_scaleout(report) if report["kind"] == "scaleout" else render_bench(report)
    md = RESULTS_DIR / f"{stem}.md"
    md.write_text(text)
    return md


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scaleout", action="store_true", help="two app servers behind nginx; one is killed")
    parser.add_argument("--teachers", type=int, default=None, help="teachers in the school (150 students each)")
    parser.add_argument("--phase-seconds", type=int, default=THROUGHPUT_SECONDS)
    parser.add_argument(
        "--steps",
        default="500,500,6000,15,5,200,6",
        help="step search: start,step,max students,seconds per step,settle seconds,p95 ms,max steps",
    )
    parser.add_argument("--scaleout-users", type=int, default=300)
    parser.add_argument("--scaleout-seconds", type=int, default=45)
    parser.add_argument("--kill-after", type=float, default=15)
    args = parser.parse_args()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BENCH_DIR))
    ensure_locust()
    if args.scaleout:
        args.teachers = args.teachers or 10
        report = scaleout(args)
        path = write_report(report, suffix="-scaleout")
        log(f"scale-out {'PASSED' if report['passed'] else 'FAILED'}; report: {path.relative_to(BASE_DIR)}")
        if not report["passed"]:
            sys.exit(1)
    else:
        args.teachers = args.teachers or 50
        report = bench(args)
        path = write_report(report)
        for row in report["summary"]["targets"]:
            log(f"{'met   ' if row['met'] else 'MISSED'} {row['target']}: {row['measured']}")
        log(f"done in {report['total_s']:.0f} s; report: {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
