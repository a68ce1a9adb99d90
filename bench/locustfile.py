"""The simulated school, for locust (run by bench/run.py; see bench/README.md).

Environment:
  BENCH_PLAN      the plan JSON written by bench/plan.py (people, sessions, URLs)
  BENCH_SCENARIO  what to run (see SCENARIOS below)
  BENCH_OUT       where to write the measurements (JSON) when locust quits
  BENCH_WARMUP    seconds at the start not measured (throughput scenarios)
  BENCH_BELL_AT   epoch seconds when the bell rings (bell scenario)
  BENCH_STEPS     the step search: "start,step,max,seconds,settle,p95_ms"

Every request is timed here (not only by locust's own statistics) so that the
report gives exact percentiles per endpoint and per step.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
import random
import time
import zlib
from http.cookiejar import Cookie
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import gevent
from gevent.lock import Semaphore
from locust import FastHttpUser, LoadTestShape, constant, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_PLAN"]) as _plan_file:
    PLAN = json.load(_plan_file)
SCENARIO = os.environ.get("BENCH_SCENARIO", "mix")
OUT = os.environ.get("BENCH_OUT", "")
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
URLS = PLAN["urls"]
HOST_NAME = os.environ.get("BENCH_COOKIE_HOST", "127.0.0.1")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")

STARTED = time.time()
RECORDS: list[tuple[float, str, float, bool, str]] = []  # (end time, name, ms, ok, error)
SUBMITTED: list[dict] = []  # bell and scale-out: submissions the server confirmed
STEPS: list[dict] = []  # the step search: one entry per step tried


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    RECORDS.append(
        (time.time(), name, float(response_time), exception is None, "" if exception is None else str(exception)[:200])
    )


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = max(0, math.ceil(q / 100 * len(sorted_values)) - 1)
    return sorted_values[index]


def summarise(records, start: float, end: float) -> dict:
    """Per endpoint: count, errors, requests/s, p50/p95/p99 over [start, end)."""
    window = max(end - start, 1e-6)
    by_name: dict[str, list] = {}
    for t, name, ms, ok, error in records:
        if start <= t < end:
            by_name.setdefault(name, []).append((ms, ok, error))
    result = {}
    for name, rows in sorted(by_name.items()):
        times = sorted(ms for ms, _ok, _e in rows)
        errors = [e for _ms, ok, e in rows if not ok]
        result[name] = {
            "requests": len(rows),
            "errors": len(errors),
            "rps": round(len(rows) / window, 1),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(times[-1], 1),
            "mean_ms": round(sum(times) / len(times), 1),
            "error_samples": sorted(set(errors))[:5],
        }
    return result


def overall(records, start: float, end: float) -> dict:
    times = sorted(ms for t, _n, ms, _ok, _e in records if start <= t < end)
    errors = sum(1 for t, _n, _ms, ok, _e in records if start <= t < end and not ok)
    return {
        "requests": len(times),
        "errors": errors,
        "rps": round(len(times) / max(end - start, 1e-6), 1),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
    }


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    if not OUT:
        return
    end = time.time()
    result = {
        "scenario": SCENARIO,
        "started": STARTED,
        "ended": end,
        "measured_from": STARTED + WARMUP,
        "endpoints": summarise(RECORDS, STARTED + WARMUP, end),
        "steps": STEPS,
        "submitted": SUBMITTED,
    }
    with open(OUT, "w") as out:
        json.dump(result, out)
    if os.environ.get("BENCH_RAW"):  # every request, for a closer look (bench/README.md)
        with open(os.environ["BENCH_RAW"], "w") as out:
            json.dump(RECORDS, out)


def url(name: str, **fields) -> str:
    template = URLS.get(name)
    if template is None:
        raise StopUser(f"the app has no {name} URL yet")
    return template.format(**fields)


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(0, name, value, None, False, HOST_NAME, False, False, "/", True, False, None, False, None, None, {})


def every(period: float):
    """Run the task once every `period` seconds, whatever it took; a late run is not
    followed by a burst to catch up. (locust's constant_pacing runs the second task at
    once after the first, which doubles every new user's first requests.)"""

    def wait_time(user) -> float:
        now = time.monotonic()
        last = getattr(user, "_next_at", None)
        next_at = now + period if last is None else max(last + period, now)
        user._next_at = next_at
        return next_at - now

    return wait_time


class Seats:
    """Hands each simulated person a distinct identity and takes it back when
    the user stops, so that two users never share one student's answer."""

    def __init__(self, items: list[dict]):
        self.free = list(items)
        self.lock = Semaphore()

    def take(self, *, from_end: bool = False) -> dict:
        """A seat; the throughput runs take theirs from the end of the list and the step search
        from the start, so that a later run never starts from a version an earlier one moved on."""
        with self.lock:
            if not self.free:
                raise StopUser("no free seat left in the plan")
            return self.free.pop() if from_end else self.free.pop(0)

    def give_back(self, seat: dict) -> None:
        with self.lock:
            self.free.append(seat)


STUDENT_SEATS = Seats(PLAN["students"])
TEACHER_SEATS = itertools.cycle(PLAN["teachers"])
LOGIN_NAMES = itertools.cycle(PLAN["login"])


class Person(FastHttpUser):
    abstract = True
    # Plain HTTP on loopback; a real browser keeps connections alive too.
    connection_timeout = 30.0
    network_timeout = 30.0

    def sign_in_with(self, cookies: dict[str, str]) -> None:
        for name, value in cookies.items():
            self.client.cookiejar.set_cookie(_cookie(name, value))
        self.csrf = cookies.get("csrftoken", "")

    def get_page(self, path: str, name: str, expect: str | None = None):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif expect and expect not in (response.text or ""):
                response.failure(f"page lacks {expect!r}")
            else:
                response.success()
            return response


class Student(Person):
    abstract = True

    seats_from_end = False

    def on_start(self):
        self.seat = STUDENT_SEATS.take(from_end=self.seats_from_end)
        self.sign_in_with(self.seat["cookies"])
        self.words = 0
        self.base = self.seat["body"] or "My answer"

    def on_stop(self):
        STUDENT_SEATS.give_back(self.seat)

    def open_assignment(self):
        self.get_page(url("page", assignment=self.seat["assignment"]), "assignment page", expect="</html>")

    def autosave(self):
        seat = self.seat
        self.words += 1
        payload = {
            "version": seat["version"],
            "body": f"{self.base} more{self.words}",
            "position": seat["position"] or (seat["positions"][0] if seat["positions"] else ""),
            "cited_sections": seat["sections"][:1],
            "quoted_sentence": "",
        }
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
            "X-Requested-With": "XMLHttpRequest",
        }
        with self.client.post(
            url("autosave", assignment=seat["assignment"], prompt=seat["prompt"]),
            data=json.dumps(payload),
            headers=headers,
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                seat["version"] = response.json()["version"]
                seat["last_body"] = payload["body"]
                response.success()
            elif response.status_code == 409:
                current = response.json().get("current") or {}
                own_write = seat.get("last_body") is not None and current.get("body") == seat.get("last_body")
                seat["version"] = current.get("version", seat["version"])
                if own_write:
                    # A simulated user stopped while its previous save was in flight: the stored text is
                    # this seat's own, so carry on from it (a harness effect, not a conflict).
                    response.success()
                else:
                    response.failure("HTTP 409")
            else:
                response.failure(f"HTTP {response.status_code}")

    def read_discussion(self):
        target = self.seat.get("discussion")
        if target:
            self.get_page(url("discussion", assignment=target[0], prompt=target[1]), "discussion", expect="</html>")


# Throughput scenarios: closed loop, no think time, one endpoint each ----------------------------


class CeilingUser(Person):
    """The trivial view: no database, no template, no session."""

    wait_time = constant(0)

    @task
    def ping(self):
        self.get_page(url("ping"), "ceiling /ping")


class PageUser(Student):
    wait_time = constant(0)

    @task
    def page(self):
        self.open_assignment()


class AutosaveUser(Student):
    wait_time = constant(0)
    seats_from_end = True

    @task
    def save(self):
        self.autosave()


class DiscussionUser(Student):
    wait_time = constant(0)

    @task
    def discussion(self):
        self.read_discussion()


class Teacher(Person):
    abstract = True

    def on_start(self):
        self.seat = next(TEACHER_SEATS)
        self.sign_in_with(self.seat["cookies"])

    def open_grid(self):
        self.get_page(url("grid", assignment=random.choice(self.seat["grids"])), "progress grid (30)", expect="</html>")

    def open_review(self):
        if self.seat["reviews"]:
            self.get_page(
                url("review", response=random.choice(self.seat["reviews"])), "review answer", expect="</html>"
            )


class GridUser(Teacher):
    wait_time = constant(0)

    @task
    def grid(self):
        self.open_grid()


class BigGridUser(Person):
    wait_time = constant(0)

    def on_start(self):
        self.sign_in_with(PLAN["big_grid"]["cookies"])

    @task
    def grid(self):
        n = PLAN["big_grid"]["students"]
        self.get_page(url("grid", assignment=PLAN["big_grid"]["assignment"]), f"progress grid ({n})", expect="</html>")


class ReviewUser(Teacher):
    wait_time = constant(0)

    @task
    def review(self):
        self.open_review()


class LoginUser(Person):
    """Signing in: the sign-in page, then the password check (the hasher's real cost)."""

    wait_time = constant(0)

    @task
    def sign_in(self):
        self.client.cookiejar.clear()
        username = next(LOGIN_NAMES)
        page = self.client.get(url("login"), name="sign-in page")
        token = _cookie_value(self.client.cookiejar, "csrftoken")
        with self.client.post(
            url("login"),
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": page.url or ""},
            name="sign in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: not signed in")


def _cookie_value(jar, name: str) -> str:
    for cookie in jar:
        if cookie.name == name:
            return cookie.value
    return ""


def messages_in(set_cookie_headers: list[str]) -> list[str]:
    """The flash messages Django put in its `messages` cookie (read, not verified)."""
    texts = []
    for header in set_cookie_headers:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except Exception:
            continue
        if "messages" not in jar or not jar["messages"].value:
            continue
        payload = jar["messages"].value.split(":")[0]
        compressed = payload.startswith(".")
        raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
        if compressed:
            raw = zlib.decompress(raw)
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        texts.extend(str(item[3]) for item in data if isinstance(item, list) and len(item) > 3)
    return texts


def submit(user: Person, seat: dict, name: str) -> bool:
    """Hand the answer in through the page's form; True when the server said it was submitted."""
    body = f"{seat['body'] or 'My answer'} final"
    data = {
        "csrfmiddlewaretoken": user.csrf,
        "version": str(seat["version"]),
        "body": body,
        "position": seat["position"] or (seat["positions"][0] if seat["positions"] else ""),
        "cited_sections": [str(s) for s in seat["sections"][:1]],
        "quoted_sentence": "",
        "action": "submit",
    }
    started = time.time()
    with user.client.post(
        url("submit", assignment=seat["assignment"], prompt=seat["prompt"]),
        data=urlencode(data, doseq=True),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        name=name,
        allow_redirects=False,
        catch_response=True,
    ) as response:
        notes = messages_in(response.headers.getlist("Set-Cookie")) if response.headers else []
        ok = response.status_code in (302, 303) and any(
            n.startswith("Submitted") or "already submitted" in n for n in notes
        )
        if ok:
            response.success()
            SUBMITTED.append(
                {
                    "student": seat["student"],
                    "assignment": seat["assignment"],
                    "prompt": seat["prompt"],
                    "at": started,
                    "ms": (time.time() - started) * 1000,
                }
            )
        else:
            response.failure(f"HTTP {response.status_code}: {'; '.join(notes) or 'no confirmation'}")
    return ok


# The bell: a whole year group hands in within the same second -------------------------------------

BELL_SEATS = list(PLAN["bell"])
BELL_DONE = {"n": 0}


class BellUser(Person):
    wait_time = constant(0)

    def on_start(self):
        self.seat = BELL_SEATS.pop()
        self.sign_in_with(self.seat["cookies"])

    @task
    def ring(self):
        ring_at = float(os.environ.get("BENCH_BELL_AT", time.time()))
        gevent.sleep(max(0.0, ring_at - time.time()) + random.uniform(0, 1))
        try:
            submit(self, self.seat, "submit (bell)")
        finally:
            BELL_DONE["n"] += 1
            if BELL_DONE["n"] >= len(PLAN["bell"]):
                gevent.spawn_later(0.5, self.environment.runner.quit)
            raise StopUser()


# The school day: active students and their teachers, for the step search -----------------------


class ActiveStudent(Student):
    """One student at work: autosaves every 10 s, opens the assignment page once a
    minute and reads the last lesson's discussion every two minutes. Each student
    starts at a random moment and at a random point of that cycle, so that a step's
    new arrivals are a steady stream, not a burst of page loads."""

    weight = 30
    wait_time = every(10)

    def on_start(self):
        super().on_start()
        self.ticks = random.randrange(12)
        gevent.sleep(random.uniform(0, 10))

    @task
    def work(self):
        self.ticks += 1
        self.autosave()
        if self.ticks % 6 == 0:
            self.open_assignment()
        if self.ticks % 12 == 3:
            self.read_discussion()


class ActiveTeacher(Teacher):
    """One per 30 students: refreshes the progress grid every 30 s, opens an answer to review every minute."""

    weight = 1
    wait_time = every(30)

    def on_start(self):
        super().on_start()
        self.ticks = random.randrange(2)
        gevent.sleep(random.uniform(0, 30))

    @task
    def watch(self):
        self.ticks += 1
        self.open_grid()
        if self.ticks % 2 == 0:
            self.open_review()


def server_is_idle() -> bool:
    """The ceiling answers quickly again: the queue a failed step left behind has drained."""
    from urllib.request import urlopen

    host = os.environ.get("BENCH_HOST", "http://127.0.0.1:8000")
    started = time.time()
    try:
        urlopen(host + url("ping"), timeout=5).read()
    except OSError:
        return False
    return time.time() - started < 0.05


class StepSearch(LoadTestShape):
    """Raise the number of active students step by step while p95 stays under the
    target with no errors; after the first failing step, halve the gap. After a
    failing step every user stops until the server has drained its queue, so that
    the next step starts clean. Bounded: at most `max_steps` steps."""

    def __init__(self):
        super().__init__()
        start, step, top, seconds, settle, p95, max_steps = (
            os.environ.get("BENCH_STEPS") or "500,500,6000,15,5,200,6"
        ).split(",")
        self.level = int(start)
        self.step = int(step)
        self.top = int(top)
        self.seconds = float(seconds)
        self.settle = float(settle)
        self.target_p95 = float(p95)
        self.max_steps = int(max_steps)
        self.passed: int | None = None
        self.failed: int | None = None
        self.step_started: float | None = None  # wall clock
        self.draining_since: float | None = None
        self.previous_users = 0

    def users_for(self, students: int) -> int:
        return students + math.ceil(students / 30)

    def judge(self, now: float) -> bool:
        start = self.step_started + self.settle
        stats = overall(RECORDS, start, now)
        stats.update(
            {
                "students": self.level,
                "teachers": math.ceil(self.level / 30),
                "window_s": round(now - start, 1),
                "load_average": round(os.getloadavg()[0], 2),  # other work on the machine shows here
                "endpoints": summarise(RECORDS, start, now),
            }
        )
        stats["passed"] = stats["requests"] > 0 and stats["errors"] == 0 and stats["p95_ms"] < self.target_p95
        STEPS.append(stats)
        if stats["passed"]:
            self.passed = max(self.passed or 0, self.level)
        else:
            self.failed = min(self.failed or self.level, self.level)
        return stats["passed"]

    def next_level(self) -> int | None:
        if len(STEPS) >= self.max_steps:
            return None
        if self.failed is None:
            nxt = self.level + self.step
            return nxt if nxt <= self.top else None
        low = self.passed or 0
        gap = self.failed - low
        if gap <= max(100, self.step // 4):
            return None
        return low + max(50, (gap // 2 // 50) * 50)

    def start_step(self, level: int, now: float):
        self.level = level
        self.step_started = now
        users = self.users_for(level)
        # New students arrive over the settle time, not all in one instant.
        rate = max(1.0, abs(users - self.previous_users) / max(self.settle, 1.0))
        self.previous_users = users
        return (users, rate)

    def tick(self):
        now = time.time()
        if self.step_started is None and self.draining_since is None:
            return self.start_step(self.level, now)
        if self.draining_since is not None:
            if now - self.draining_since < 2 or (not server_is_idle() and now - self.draining_since < 20):
                return (0, 1000)
            self.draining_since = None
            return self.start_step(self.pending, now)
        if now - self.step_started < self.seconds:
            return (self.users_for(self.level), max(1.0, self.users_for(self.level) / max(self.settle, 1.0)))
        passed = self.judge(now)
        level = self.next_level()
        if level is None:
            return None
        if passed:
            return self.start_step(level, now)
        # Stop everyone until the queue the failed step left behind has drained.
        self.pending = level
        self.previous_users = 0
        self.draining_since = now
        return (0, 1000)


class ScaleoutStudent(Student):
    """Scale-out run: work a little, hand in once (a failed hand-in is tried again, as a
    student would click again), then keep reading. Every confirmed hand-in is checked in the
    database afterwards."""

    wait_time = constant(2)

    def on_start(self):
        super().on_start()
        self.saves_before_submit = random.randint(2, 16)
        self.done = False
        gevent.sleep(random.uniform(0, 2))
        self.open_assignment()

    @task
    def work(self):
        if self.done:
            self.open_assignment()
            return
        if self.saves_before_submit > 0:
            self.saves_before_submit -= 1
            self.autosave()
            return
        for _attempt in range(3):
            if submit(self, self.seat, "submit"):
                self.done = True
                return
            gevent.sleep(1)
            # If the lost request did save, the page's version is behind: catch up as the script would.
            self.autosave()
        self.done = True


SCENARIOS = {
    "ceiling": [CeilingUser],
    "page": [PageUser],
    "autosave": [AutosaveUser],
    "discussion": [DiscussionUser],
    "grid": [GridUser],
    "grid_big": [BigGridUser],
    "review": [ReviewUser],
    "login": [LoginUser],
    "bell": [BellUser],
    "mix": [ActiveStudent, ActiveTeacher],
    "scaleout": [ScaleoutStudent],
}

# Only the chosen scenario's classes are visible to locust; the shape only in the step search.
_chosen = SCENARIOS[SCENARIO]
for _name, _cls in list(globals().items()):
    if (
        isinstance(_cls, type)
        and issubclass(_cls, FastHttpUser)
        and _cls not in _chosen
        and not _cls.__dict__.get("abstract")
    ):
        _cls.abstract = True
if SCENARIO != "mix":
    del StepSearch
