"""Load: signed-in clients at once against gunicorn, each asking for the dashboard and the
budgets table in turn for a fixed time; throughput (requests a second) and p95.

`serve()` starts gunicorn on a free loopback port with `demo.bench.wsgi` (the project under
the bench's settings, on the scratch database) and stops it afterwards; `measure_load()`
signs each client in through the login page (its CSRF cookie and token, as a browser
does) and then times every request. Only the loopback address is ever asked, and every
client stops at the deadline, so the load ends by itself.
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.cookiejar import CookieJar

from demo.bench.timing import summarise

LOGIN_PATH = "/accounts/login/"
REQUEST_TIMEOUT = 120  # seconds: a request slower than this counts as failed
MAX_REQUESTS_PER_CLIENT = 100_000  # a bound on each loop besides its deadline


@dataclass
class LoadOptions:
    clients: int = 20
    seconds: float = 30.0
    workers: int = 0  # gunicorn workers; 0: 2 x CPUs + 1, gunicorn's own advice


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to record (e.g. to the login page)


def _client() -> urllib.request.OpenerDirector:
    """A client with its own cookies (session and CSRF), as one browser has."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.jar = jar
    opener.addheaders = [("Accept-Encoding", "gzip"), ("User-Agent", "metbudget-bench")]
    return opener


def _get(client, url: str) -> tuple[int, bytes]:
    try:
        with client.open(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
        return error.code, error.read()


def sign_in(base_url: str, username: str, password: str):
    """A client signed in through the login form, or ValueError saying why not."""
    client = _client()
    status, _ = _get(client, base_url + LOGIN_PATH)
    token = next((c.value for c in client.jar if c.name == "csrftoken"), None)
    if status != 200 or token is None:
        raise ValueError(f"login page answered {status} without a CSRF cookie")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    login = base_url + LOGIN_PATH
    request = urllib.request.Request(login, data=form, headers={"Referer": login})  # noqa: S310
    try:
        with client.open(request, timeout=REQUEST_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 302 or not any(c.name == "sessionid" for c in client.jar):
        raise ValueError(f"sign-in answered {status} without a session")
    return client


def _hammer(client, urls: list[str], start: int, ready: threading.Barrier, clock: dict, samples):
    """Ask for each of `urls` once, unrecorded (so that timing starts warm), wait for every
    client, then ask for them in turn (from `start`) until the deadline, recording each."""
    for url in urls:
        with suppress(OSError):
            _get(client, url)
    ready.wait()
    for n in range(MAX_REQUESTS_PER_CLIENT):
        if time.perf_counter() >= clock["deadline"]:
            return
        url = urls[(start + n) % len(urls)]
        began = time.perf_counter()
        try:
            status, _ = _get(client, url)
        except OSError:  # refused, reset or timed out
            status = 0
        samples.append((url, status, time.perf_counter() - began))


def measure_load(
    base_url: str, username: str, password: str, paths: dict[str, str], options: LoadOptions
) -> dict:
    """`options.clients` clients signed in as `username`, each asking for `paths` (name:
    path) in turn for `options.seconds`: requests, throughput, median and p95 overall and
    per page, and the answers by status (all 200 when the load was served)."""
    clients = [sign_in(base_url, username, password) for _ in range(options.clients)]
    urls = [base_url + path for path in paths.values()]
    samples: list[tuple[str, int, float]] = []  # list.append is atomic across threads
    clock: dict[str, float] = {}

    def start_clock() -> None:  # run once, when every client is warm
        clock["began"] = time.perf_counter()
        clock["deadline"] = clock["began"] + options.seconds

    ready = threading.Barrier(len(clients), action=start_clock)
    threads = [
        threading.Thread(target=_hammer, args=(client, urls, n, ready, clock, samples))
        for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - clock["began"]
    statuses: dict[str, int] = {}
    for _, status, _ in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    by_page = {
        name: _summary([s for u, _, s in samples if u == base_url + path], elapsed)
        for name, path in paths.items()
    }
    return {
        "clients": options.clients,
        "seconds": options.seconds,
        "elapsed_seconds": round(elapsed, 2),
        **_summary([seconds for _, _, seconds in samples], elapsed),
        "statuses": statuses,
        "all_ok": bool(samples) and set(statuses) == {"200"},
        "pages": by_page,
    }


def _summary(seconds: list[float], elapsed: float) -> dict:
    if not seconds:
        return {"requests": 0, "throughput_rps": 0.0}
    return {
        "requests": len(seconds),
        "throughput_rps": round(len(seconds) / elapsed, 2),
        **summarise(seconds),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(database_name: str, workers: int, timeout: float = 60.0) -> Iterator[str]:
    """gunicorn serving `demo.bench.wsgi` on the scratch database at a free loopback port;
    yields its base URL once it answers, and stops it (and waits for it) afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "demo.bench.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--timeout={REQUEST_TIMEOUT}",
    ]
    env = {**os.environ, "BENCH_DATABASE_NAME": database_name}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_answering(server, base_url, log, timeout)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_answering(server: subprocess.Popen, base_url: str, log, timeout: float) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base_url + LOGIN_PATH, timeout=5):  # noqa: S310
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s")


def bench_load(like, database_name: str, paths: dict[str, str], options: LoadOptions) -> dict:
    """The load part of the benchmark: a new user with the roles of `like` (and a password,
    in the scratch database) signed in `options.clients` times against gunicorn. Says why
    when it could not run."""
    if options.clients < 1:
        return {"present": False, "reason": "no clients asked for"}
    try:
        import gunicorn  # noqa: F401 - only whether it is installed
    except ImportError:
        return {"present": False, "reason": "gunicorn is not installed"}
    password = secrets.token_urlsafe(24)
    user = type(like).objects.create_user(f"{like.get_username()}-load", password=password)
    user.groups.set(like.groups.all())
    workers = options.workers or 2 * (os.cpu_count() or 1) + 1
    try:
        with serve(database_name, workers) as base_url:
            result = measure_load(base_url, user.get_username(), password, paths, options)
    except (RuntimeError, ValueError, OSError) as error:
        return {"present": False, "reason": str(error)}
    return {"present": True, "server": "gunicorn", "workers": workers, **result}
