"""gunicorn settings for KinoCritics: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (the systemd unit reads /etc/kinocritics.env).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are CPU-bound renders or page-cache hits, and nginx buffers slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Only the proxy may set X-Forwarded-For / -Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: PTH112, S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" turns it off
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "kinocritics"
# Import the site once in the master and warm it (kinocritics/core/warmup.py): workers fork
# ready, so one recycled by max_requests starts in milliseconds, not the second of importing
# Django and compiling templates during which requests queued behind it (p95 spikes of a
# second under load). warm() closes what start-up connected, so workers share no socket.
# GUNICORN_PRELOAD=false makes each worker import the site itself.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in {"0", "false", "no"}


def when_ready(server):
    if preload_app:
        from kinocritics.core.warmup import warm

        server.log.info("warmed %d templates before forking workers", warm())
