"""Turn a benchmark run (the JSON that bench/run.py writes) into the Markdown report."""

from __future__ import annotations


def _ms(value) -> str:
    return f"{value:,.0f}" if value else "–"


def _machine(m: dict) -> list[str]:
    return [
        "| | |",
        "|---|---|",
        f"| CPU | {m['cores']} cores, {m['cpu']} |",
        f"| memory | {m['memory_gib']} GiB |",
        f"| system | {m['os']}, Python {m['python']} |",
        f"| PostgreSQL / Redis | {m['postgresql']} / {m['redis']} |",
        f"| gunicorn | {m['gunicorn_workers']} sync workers per server (gunicorn.conf.py) |",
        f"| load average at start | {', '.join(str(x) for x in m['load_average_at_start'])} |",
        f"| process priority | {m.get('priority', 'normal')} |",
        f"| code the servers ran | {m.get('code', m['commit'])} |",
    ]


def _busy_warning(m: dict) -> list[str]:
    load = m["load_average_at_start"][0]
    if load <= m["cores"] * 0.5:
        return []
    return [
        f"> **The machine was busy** (load average {load} on {m['cores']} cores when the run started): other "
        "work competed for the CPU, so the absolute figures are low; the ratios to the ceiling, measured in the "
        "same minutes, are the fairer reading.",
        "",
    ]


def render_bench(report: dict) -> str:
    s = report["summary"]
    phases = report["phases"]
    school = report["school"]
    lines = [
        f"# Benchmark, {report['started_at'][:10]}",
        "",
        f"`make bench` (= `.venv/bin/python bench/run.py`), started {report['started_at']}, "
        f"took {report['total_s']:.0f} s in all. Server and load generator (locust) share the same machine, "
        "so every figure is a floor for a dedicated app server. Raw figures: the `.json` file beside this one.",
        "",
        "## Machine",
        "",
        *_machine(report["machine"]),
        "",
        *_busy_warning(report["machine"]),
        "## The school",
        "",
        f"{school['students']:,} students and {school['teachers']} teachers in {school['classes']} classes "
        f"(5 of 30 per teacher, plus one class of 150), the whole unit assigned to every class, "
        f"{school['responses']:,} answers with their versions, feedback and discussion replies. "
        f"Set-up: migrate {report['setup']['migrate_s']} s, unit and school {report['setup']['seed_s']} s, "
        f"waiting for collectstatic (run beside the seeding) {report['setup']['collectstatic_wait_s']} s, sessions and plan {report['setup']['plan_s']} s.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for row in s["targets"]:
        lines.append(f"| {row['target']} | {row['measured']} | {'met' if row['met'] else '**missed**'} |")
    lines += [
        "",
        "## Each endpoint at full load",
        "",
        f"Closed loop, no think time, 10 simulated users each; the first seconds are not counted. The "
        f"ceiling is `/ping` through the same stack (middleware, gunicorn) with no database and no template: "
        f"**{s['ceiling_rps']:,.0f} requests/s**.",
        "",
        "| endpoint | requests/s | of ceiling | p50 ms | p95 ms | p99 ms | errors | CPU: app | PostgreSQL | locust |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    scenario_of = {
        "ceiling /ping": "ceiling",
        "assignment page": "page",
        "autosave": "autosave",
        "discussion": "discussion",
        "progress grid (30)": "grid",
        "review answer": "review",
    }
    for row in s["endpoints"]:
        phase = phases.get(scenario_of.get(row["endpoint"], "grid_big"), {})
        cpu = phase.get("cpu", {})
        lines.append(
            f"| {row['endpoint']} | {row.get('rps', 0):,.1f} | {row['ratio_to_ceiling']:.1%} | {_ms(row.get('p50_ms'))} "
            f"| {_ms(row.get('p95_ms'))} | {_ms(row.get('p99_ms'))} | {row.get('errors', 0)} "
            f"| {cpu.get('server_cores', 0):.2f} | {cpu.get('postgres_cores', 0):.2f} "
            f"| {cpu.get('load_generator_cores', 0):.2f} |"
        )
    lines += [
        "",
        "CPU columns: cores used on average by the app servers (gunicorn and its workers), by the PostgreSQL "
        "backends serving the benchmark's database, and by locust. The 150-student grid row is measured with 2 "
        "teachers at once (a latency figure, not a saturation one).",
        "",
    ]
    login = s.get("sign_in") or {}
    if login:
        lines += [
            "## Sign-in",
            "",
            f"4 at a time: **{login.get('rps', 0):.1f} sign-ins/s**, p50 {_ms(login.get('p50_ms'))} ms, "
            f"p95 {_ms(login.get('p95_ms'))} ms, {login.get('errors', 0)} errors. The password hasher (PBKDF2, "
            "Django's default iterations) is the cost, by design: at this rate a class of 30 signs in within "
            f"{30 / max(login.get('rps', 0.01), 0.01):.0f} s, a year group of 300 in "
            f"{300 / max(login.get('rps', 0.01), 0.01):.0f} s. The step search below uses sessions made in advance, "
            "as students sign in once a lesson, not every minute.",
            "",
        ]
    bell = s["bell"]
    lines += [
        "## The bell",
        "",
        f"{bell['expected']} students (10 classes) hand in their answer, each at a random moment within the same second, "
        "through the page's own form (the answer and `action=submit`).",
        "",
        f"- confirmed by the server: {bell['confirmed']}; in the database, handed in with exactly one submitted copy: "
        f"**{bell['saved_once']} of {bell['expected']}**; doubled: {len(bell['doubled'])}",
        f"- latency: p50 {_ms(bell.get('p50_ms'))} ms, p95 **{_ms(bell.get('p95_ms'))} ms**, "
        f"p99 {_ms(bell.get('p99_ms'))} ms, max {_ms(bell.get('max_ms'))} ms; errors {bell.get('errors', 0)}",
        f"- from the first hand-in sent to the last one answered: {bell.get('span_s') or 0:.2f} s",
        "",
        "## Active students: the step search",
        "",
        "Each active student autosaves every 10 s, opens the assignment page once a minute and reads the last "
        "lesson's discussion every 2 minutes; one teacher per 30 students refreshes the progress grid every 30 s "
        "and opens an answer to review every minute. Each step runs a fixed time; the first seconds (new "
        "students arriving) are not judged. A step passes with p95 under 200 ms over all requests and no error; "
        "after the first failing step the gap is halved (bounded number of steps).",
        "",
        "| active students | teachers | requests | requests/s | p50 ms | p95 ms | p99 ms | errors "
        "| p95 by endpoint (ms) | load average | |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    full_steps = {step["students"]: step for step in phases["mix"].get("steps", [])}
    for step in s["steps"]:
        endpoints = full_steps.get(step["students"], {}).get("endpoints", {})
        by_endpoint = ", ".join(f"{name} {row['p95_ms']:,.0f}" for name, row in endpoints.items())
        lines.append(
            f"| {step['students']:,} | {step['teachers']} | {step['requests']:,} | {step['rps']:,.1f} "
            f"| {_ms(step['p50_ms'])} | {_ms(step['p95_ms'])} | {_ms(step['p99_ms'])} | {step['errors']} "
            f"| {by_endpoint} | {step.get('load_average') if step.get('load_average') is not None else '–'} "
            f"| {'pass' if step['passed'] else 'fail'} |"
        )
    lines += [
        "",
        f"**Largest number of active students held: {s['active_students_held']:,}.**",
        "",
    ]
    return "\n".join(lines) + "\n"


def render_scaleout(report: dict) -> str:
    load = report["load"]
    verified = load["verified"]
    shared = report["shared_session"]
    lines = [
        f"# Scale-out run, {report['started_at'][:10]}",
        "",
        f"`make bench-scaleout` (= `.venv/bin/python bench/run.py --scaleout`), took {report['total_s']:.0f} s: "
        "two gunicorn servers on different ports, sharing PostgreSQL and Redis, behind nginx on 127.0.0.1. "
        f"**{'Passed' if report['passed'] else 'FAILED'}.**",
        "",
        "## Machine",
        "",
        *_machine(report["machine"]),
        "",
        "## A session made through one server works through the other",
        "",
        f"- signed in through {shared['signed_in_through']} with the real sign-in form",
        f"- the same cookie on server B: {'works' if shared['works_on_server_b'] else '**does not work**'}",
        f"- the same cookie through nginx: {'works' if shared['works_through_nginx'] else '**does not work**'}",
        "",
        "## One server killed in the middle of the load",
        "",
        f"Students worked through nginx (autosaves, page views, one hand-in each, a failed hand-in tried again); "
        f"server A was killed with SIGKILL (its whole process group) at {report.get('killed_at_s', '?')} s.",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in load["endpoints"].items():
        lines.append(
            f"| {name} | {row['requests']:,} | {row['errors']} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} "
            f"| {_ms(row['p99_ms'])} |"
        )
    errors = sorted({e for row in load["endpoints"].values() for e in row.get("error_samples", [])})
    lines += [
        "",
        f"Errors seen (requests in flight on the killed server, which nginx does not resend when they are POSTs): "
        f"{'; '.join(errors) or 'none'}.",
        "",
        "## Every confirmed submission is in the database exactly once",
        "",
        f"- hand-ins the server confirmed: {verified['confirmed']}",
        f"- of those, handed in with exactly one submitted copy in the database: **{verified['saved_once']}**",
        f"- confirmed but missing: {len(verified['missing'])} {verified['missing'] or ''}",
        f"- answers with more than one submitted copy: {len(verified['doubled'])} {verified['doubled'] or ''}",
        f"- server B still serving afterwards: {'yes' if report['server_b_alive_after'] else 'no'}",
        "",
    ]
    return "\n".join(lines) + "\n"
