"""Timing requests: what one page costs in this process (queries, HTML), and its latency over repeated requests
from concurrent clients, against gunicorn or, for a quick look, Django's test client in this process."""

import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from review.benchmarking.floor import floor_path

SETTINGS = "review.benchmarking.settings"
WORKERS = 2


@dataclass(frozen=True)
class Inspection:
    status: int
    queries: int
    size: int  # bytes of HTML


@dataclass(frozen=True)
class Latency:
    median: float  # ms
    p95: float  # ms
    rate: float  # requests a second, all clients together
    statuses: frozenset


def signed_in_client(cookie):
    client = Client(raise_request_exception=False)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


def inspect(path, cookie):
    """The page's status, its query count and its size, asked for a second time (the first fills the caches)."""
    client = signed_in_client(cookie)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return Inspection(status=response.status_code, queries=len(queries), size=len(response.content))


class InProcess:
    """Requests answered by Django's test client in this process: no server, one client at a time."""

    def get(self, path, cookie):
        return signed_in_client(cookie).get(path).status_code


class Server:
    """Requests over HTTP to a server on the loopback, one connection each (gunicorn's sync workers close it)."""

    def __init__(self, port):
        self.port = port

    def get(self, path, cookie):
        conversation = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
            conversation.request("GET", path, headers=headers)
            response = conversation.getresponse()
            response.read()
            return response.status
        finally:
            conversation.close()


def percentile(values, fraction):
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency(client, path, cookie, repeat, concurrency):
    """Each of ``concurrency`` clients asks ``repeat`` times, one request after another; after one warm-up request
    per server worker."""
    for _worker in range(WORKERS):
        client.get(path, cookie)

    def one_client(_number):
        answers = []
        for _request in range(repeat):
            start = time.perf_counter()
            status = client.get(path, cookie)
            answers.append(((time.perf_counter() - start) * 1000, status))
        return answers

    start = time.perf_counter()
    if concurrency == 1:  # in this thread: the test client's requests share its database connection
        answers = one_client(0)
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            answers = [answer for answers in pool.map(one_client, range(concurrency)) for answer in answers]
    wall = time.perf_counter() - start
    timings = [ms for ms, _status in answers]
    return Latency(median=statistics.median(timings), p95=percentile(timings, 0.95), rate=len(answers) / wall,
                   statuses=frozenset(status for _ms, status in answers))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(server, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            server.get(floor_path(0), None)
            return
        except OSError:
            time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"gunicorn did not start:\n{log.read().decode(errors='replace')[-3000:]}")


@contextmanager
def gunicorn():
    """gunicorn with the benchmark's settings on a free loopback port, 2 sync workers, DEBUG off; stopped after."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DJANGO_DEBUG": "false"}
    command = [sys.executable, "-m", "gunicorn", "fundportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "600",
               "--chdir", str(settings.BASE_DIR)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            server = Server(port)
            wait_until_answering(server, process, log)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
