"""Several app servers, one database (issue 27, item 5; docs/operations.md).

A municipality that outgrows one server runs several gunicorn app servers behind a load
balancer on one PostgreSQL. This test starts two of them as production runs them
(`gunicorn tillit.wsgi`, TILLIT_DEBUG=0, one secret key for both, sessions in the
database, static files from whitenoise) against a PostgreSQL database of its own, and
sends one worker's browser to them in turn, as a load balancer without sticky sessions
would. It proves:

- a session made on one server is valid on the other, and logging out on one ends it
  on both (the old cookie is refused where it was made);
- what is written on one server is on the other's next page (no stale page): a journal
  entry written on A is on the client's page on B, with the message A left for it;
- a draft signed on B is signed on A, and corrected there; B shows the correction with
  the earlier version under it, and refuses to correct the same version a second time;
- a plan goal saved on B at the revision read before A saved it is answered as a
  conflict, with A's words as the saved version, and nothing of B's is written;
- failed logins count towards one lockout whichever server they reach;
- no request is answered with a 5xx, and neither server logs a traceback.

On SQLite it is skipped: SQLite is one server's database (README, "When to move to
PostgreSQL"). On PostgreSQL it runs in `make test`, so in CI. The database it makes,
`tillit_two_servers_<pid>`, is dropped at the end, and the servers are killed, whatever
happened. Two departures from production, neither about several servers: the servers'
settings module only puts STATIC_ROOT in the test's own directory (settings.py fixes it
at var/static, in the checkout), and collects static files with Django's manifest
storage rather than whitenoise's compressing one (the same hashed names; compressing
every file with brotli would take 20 s of the test's time).
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from tillit.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="SQLite is one server's database; several app servers need PostgreSQL "
    "(set DATABASE_URL, as CI does)",
)

# The name the load balancer serves, the same whichever server answers: the browser sees
# one origin, https://127.0.0.1, and the servers are reached over plain http with
# X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), as from a load balancer that ends TLS.
PUBLIC_HOST = "127.0.0.1"
ORIGIN = f"https://{PUBLIC_HOST}"
STARTUP_SECONDS = 240  # migrating on a busy CI machine is the slow part
LOGIN_FAILURES = 3  # TILLIT_LOGIN_FAILURES_PER_ACCOUNT on both servers

SERVER_SETTINGS = '''"""Tillit's production settings; static files in the test's directory."""

from tillit.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}},
}}
'''

# Run by `manage.py shell -c` in the servers' environment: migrate the new database and
# give it one worker with a client, a case and a draft plan with one goal.
SETUP = """
import json
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UnitFactory
from tillit.factories import UserFactory
from tillit.org.models import Role
from tillit.plans import services
unit = UnitFactory(name="Öppenvården")
worker = UserFactory.member(unit, Role.WORKER, username="worker")
person = PersonFactory(first_name="Kim", last_name="Klient")
case = CaseFactory(person=person, unit=unit)
AssignmentFactory(case=case, worker=worker)
plan = services.plan_create(actor=worker, case=case, kind="care", review_on=None)
goal = services.goal_add(plan=plan, text="Ha ett eget boende.", why="")
print(json.dumps({"person": person.pk, "case": case.pk, "plan": plan.pk, "goal": goal.pk}))
"""


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path


@dataclass
class Response:
    status: int
    location: str
    body: str


@dataclass
class Browser:
    """One browser behind the load balancer: one set of cookies, whichever server
    answers. The cookies are Secure (DEBUG is off), so they are kept here by hand rather
    than in a cookie jar, which would not send them over plain http."""

    answered: list[tuple[str, str, str, int]]
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: Server, path: str) -> Response:
        return self.send(server, "GET", path)

    def post(self, server: Server, path: str, data: dict) -> Response:
        return self.send(server, "POST", path, data)

    def send(self, server: Server, method: str, path: str, data: dict | None = None) -> Response:
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = ORIGIN
            headers["Referer"] = f"{ORIGIN}/"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.answered.append((server.name, method, path, answer.status))
        return Response(answer.status, answer.headers.get("Location", ""), text)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(name: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def admin(sql: str) -> None:
    """Run `sql` outside a transaction, connected to the server's maintenance database
    (or, where that is closed to us, to the database the suite was given)."""
    import psycopg

    try:
        connection = psycopg.connect(database_url("postgres"), autocommit=True)
    except psycopg.OperationalError:
        connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    with connection:
        connection.execute(sql)  # type: ignore[arg-type]


def query(url: str, sql: str, *params: object) -> tuple:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute(sql, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return tuple(row)


def start(name: str, env: dict[str, str], directory: Path) -> Server:
    port = free_port()
    log = directory / f"server-{name}.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(gunicorn),
                "tillit.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
                "--no-control-socket",  # one per server would share ~/.gunicorn/gunicorn.ctl
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(name, port, process, log)


def wait_until_serving(server: Server, deadline: float) -> None:
    """Ready when whitenoise answers for a static file (no database needed)."""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server {server.name} exited:\n{server.log.read_text()[-3000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            connection.request(
                "GET",
                "/static/tillit/revisions.js",
                headers={"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"},
            )
            status = connection.getresponse().status
            assert status == 200, f"server {server.name} answered {status} for a static file"
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    pytest.fail(f"server {server.name} did not start:\n{server.log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def entry_article(body: str, pk: int) -> str:
    """The journal entry `pk` as the client's page shows it."""
    found = re.search(rf'<article class="entry[^"]*" id="entry-{pk}".*?</article>', body, re.S)
    assert found, f"entry {pk} is not on the page"
    return found.group(0)


def goal_revision(body: str, pk: int) -> int:
    """The revision the goal's form on the plan page saves against."""
    tag = re.search(rf'<input[^>]*id="goal-{pk}-revision"[^>]*>', body)
    assert tag, f"goal {pk} has no form on the page"
    value = re.search(r'value="(\d+)"', tag.group(0))
    assert value, tag.group(0)
    return int(value.group(1))


def anchor(location: str, prefix: str) -> int:
    found = re.search(rf"#{prefix}-(\d+)$", location)
    assert found, location
    return int(found.group(1))


def test_two_app_servers_on_one_database(tmp_path):
    name = f"tillit_two_servers_{os.getpid()}"
    url = database_url(name)
    (tmp_path / "two_servers_settings.py").write_text(
        SERVER_SETTINGS.format(static_root=str(tmp_path / "static"))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLIT_")}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="two_servers_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        TILLIT_DEBUG="0",
        TILLIT_SECRET_KEY=secrets.token_urlsafe(64),  # the same on both servers
        TILLIT_ALLOWED_HOSTS=PUBLIC_HOST,
        TILLIT_REQUIRE_MFA="0",
        TILLIT_LOGIN_FAILURES_PER_ACCOUNT=str(LOGIN_FAILURES),
    )
    python = sys.executable
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    processes: list[subprocess.Popen] = []
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        setup = subprocess.Popen(
            [python, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(setup)
        # Static files meanwhile; whitenoise finds them when a server starts.
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=STARTUP_SECONDS,
        )
        a = start("A", env, tmp_path)
        processes.append(a.process)
        b = start("B", env, tmp_path)
        processes.append(b.process)
        output, errors = setup.communicate(timeout=max(1, deadline - time.monotonic()))
        assert setup.returncode == 0, errors
        data = json.loads(output.strip().splitlines()[-1])
        wait_until_serving(a, deadline)
        wait_until_serving(b, deadline)

        answered: list[tuple[str, str, str, int]] = []
        browser = Browser(answered)
        person, case = data["person"], data["case"]
        client_page = f"/clients/{person}/"

        # Signed in on A, the session is valid on B.
        assert browser.get(a, "/login/").status == 200
        signed_in = browser.post(a, "/login/", {"username": "worker", "password": TEST_PASSWORD})
        assert signed_in.status == 302, signed_in.body[-2000:]
        assert not signed_in.location.startswith("/login/")
        session = browser.cookies["sessionid"]
        page = browser.get(b, client_page)
        assert page.status == 200, (page.status, page.location)
        assert "Kim Klient" in page.body
        assert browser.cookies["sessionid"] == session

        # Written on A, on B's next page (which B has just rendered without it).
        text = f"Samtal om boendet, {secrets.token_hex(4)}."
        when = (datetime.date.today() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
        written = browser.post(
            a,
            f"/cases/{case}/journal/new/",
            {"happened_at": when, "kind": "meeting", "text": text, "present": ""},
        )
        assert written.status == 302, written.body[-2000:]
        entry = anchor(written.location, "entry")
        page = browser.get(b, written.location.split("#")[0])
        assert page.status == 200
        assert "The entry is saved." in page.body  # the message A left, shown by B
        assert text in entry_article(page.body, entry)
        assert "is-draft" in entry_article(page.body, entry)

        # Signed on B, signed on A, and corrected there.
        signed = browser.post(b, f"/journal/{entry}/sign/", {})
        assert signed.status == 302, signed.body[-2000:]
        page = browser.get(a, client_page)
        shown = entry_article(page.body, entry)
        assert "is-draft" not in shown
        assert f"/journal/{entry}/correct/" in shown
        assert browser.get(a, f"/journal/{entry}/correct/").status == 200
        corrected_text = f"{text} Rättad."
        correction = {
            "happened_at": when,
            "kind": "meeting",
            "text": corrected_text,
            "present": "",
            "reason": "Fel i texten.",
        }
        corrected = browser.post(a, f"/journal/{entry}/correct/", correction)
        assert corrected.status == 302, corrected.body[-2000:]
        new_version = anchor(corrected.location, "entry")
        page = browser.get(b, client_page)
        shown = entry_article(page.body, new_version)
        assert corrected_text in shown
        assert "Fel i texten." in shown
        assert text in shown.split('class="old-version"', 1)[1]  # the earlier version, kept
        assert f'id="entry-{entry}"' not in page.body  # no longer shown as the current one
        # The same version corrected again on B (another tab, the other server): refused.
        again = browser.post(b, f"/journal/{entry}/correct/", {**correction, "text": "Annat."})
        assert again.status == 200, (again.status, again.location)
        assert "already been corrected" in again.body
        assert query(
            url, "select count(*) from clients_journalentry where replaces_id = %s", entry
        ) == (1,)

        # A plan goal: read on A and B at the same revision, saved on A, then on B.
        plan_page, goal = f"/plans/{data['plan']}/", data["goal"]
        read = goal_revision(browser.get(a, plan_page).body, goal)
        assert goal_revision(browser.get(b, plan_page).body, goal) == read
        saved = browser.post(
            a,
            f"/plans/goals/{goal}/",
            {"text": "Ha en egen lägenhet.", "why": "", "revision": read},
        )
        assert saved.status == 302, saved.body[-2000:]
        stale = browser.post(
            b,
            f"/plans/goals/{goal}/",
            {"text": "Bo kvar hos mamma.", "why": "", "revision": read},
        )
        assert stale.status == 200, (stale.status, stale.location)
        assert "data-conflict" in stale.body
        assert "Ha en egen lägenhet." in stale.body  # the saved version, beside B's own
        assert query(url, "select text, revision from plans_goal where id = %s", goal) == (
            "Ha en egen lägenhet.",
            read + 1,
        )
        page = browser.get(b, plan_page)
        assert goal_revision(page.body, goal) == read + 1
        assert "Ha en egen lägenhet." in page.body

        # Failed logins count towards one lockout, whichever server they reach.
        guesser = Browser(answered)
        assert guesser.get(b, "/login/").status == 200
        guess = {"username": "nobody", "password": "not-the-password"}
        turns = [a, b] * LOGIN_FAILURES
        for server in turns[: LOGIN_FAILURES - 1]:
            assert guesser.post(server, "/login/", guess).status == 200
        # The try that reaches the limit counts those on the other server too, and the
        # lockout holds on both.
        assert guesser.post(turns[LOGIN_FAILURES - 1], "/login/", guess).status == 429
        assert guesser.post(turns[LOGIN_FAILURES], "/login/", guess).status == 429

        # Logged out on B, the session is over on A too, even with the old cookie.
        logged_out = browser.post(b, "/logout/", {})
        assert logged_out.status == 302, logged_out.body[-2000:]
        browser.cookies["sessionid"] = session
        refused = browser.get(a, client_page)
        assert refused.status == 302
        assert refused.location.startswith("/login/")

        assert not [row for row in answered if row[3] >= 500], answered
        for server in (a, b):
            assert "Traceback" not in server.log.read_text(), server.log.read_text()[-3000:]
    finally:
        for process in reversed(processes):
            stop(process)
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
