"""gunicorn settings, read from the environment so one file serves every machine.

    gunicorn -c gunicorn.conf.py korea_lessons.wsgi

GUNICORN_BIND          address to listen on (default 127.0.0.1:8000; behind a
                       load balancer on another host use 0.0.0.0:8000)
GUNICORN_WORKERS       worker processes (default: 2 per core + 1)
GUNICORN_THREADS       threads per worker (default 1: plain sync workers)
GUNICORN_WORKER_CLASS  sync or gthread (default: gthread when threads > 1)
GUNICORN_TIMEOUT       seconds before a stuck worker is restarted (default 30)
GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 0: never)
GUNICORN_ACCESS_LOG    path or "-" for an access log (default: none; it costs
                       throughput, and the load balancer logs requests anyway)

Every app server is stateless (sessions and cache in Redis, data in
PostgreSQL), so more capacity is more of these processes on more machines.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or ("gthread" if threads > 1 else "sync")
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# A burst (the bell: a whole year group submitting at once) queues here
# instead of being refused.
backlog = _int("GUNICORN_BACKLOG", 2048)
# Load the app once in the master: faster worker start and shared memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "korea_lessons")
# Behind nginx on the same host, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # With preload_app, connections opened in the master must not be shared
    # by the workers: each worker opens its own.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
