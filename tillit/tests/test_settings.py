"""Settings fail closed: production does not start without a secret key of its own, and a
variable that is set but malformed is an error, never a default (tillit/lib/env.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

DEPLOY_KEY = "deploy-check-only-7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e2b4d6f0a9c7e"


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python with `args` in a clean TILLIT_* environment plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TILLIT_")}
    clean.pop("DATABASE_URL", None)
    # Set by the browser tests (Playwright) in this process; never in a deployment.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def read_settings(expression: str, **env: str) -> subprocess.CompletedProcess:
    return run("-c", f"from tillit import settings; print({expression})", **env)


def test_the_deploy_check_fails_without_a_secret_key():
    """`make test` runs this check with a key of its own; without one it stops."""
    production = {"TILLIT_DEBUG": "0", "TILLIT_ALLOWED_HOSTS": "tillit.example"}
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **production)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "TILLIT_SECRET_KEY (or TILLIT_SECRET_KEY_FILE) must be set" in done.stderr
    done = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TILLIT_SECRET_KEY=DEPLOY_KEY,
        **production,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "must be set"),
        (settings.DEVELOPMENT_SECRET_KEY, "public development key"),
        ("django-insecure-" + "x1y2z3" * 10, "public development key"),
        ("short-but-secret", "too weak"),
        ("a" * 60, "too weak"),
    ],
)
def test_production_refuses_a_missing_or_weak_key(key, says):
    done = read_settings("settings.SECRET_KEY", TILLIT_DEBUG="0", TILLIT_SECRET_KEY=key)
    assert done.returncode != 0
    assert says in done.stderr
    assert key not in done.stderr or not key  # the key is never printed


def test_development_has_a_key_without_being_told():
    done = read_settings("settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY")
    assert done.stdout.strip() == "True", done.stderr


def test_the_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(DEPLOY_KEY + "\n")
    done = read_settings(
        "settings.SECRET_KEY", TILLIT_DEBUG="0", TILLIT_SECRET_KEY_FILE=str(secret)
    )
    assert done.stdout.strip() == DEPLOY_KEY, done.stderr
    done = read_settings("1", TILLIT_DEBUG="0", TILLIT_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert "cannot be read" in done.stderr
    done = read_settings(
        "1",
        TILLIT_DEBUG="0",
        TILLIT_SECRET_KEY=DEPLOY_KEY,
        TILLIT_SECRET_KEY_FILE=str(secret),
    )
    assert "not both" in done.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TILLIT_DEBUG", "flase", "is not a boolean"),
        ("TILLIT_SECURE_SSL_REDIRECT", "maybe", "is not a boolean"),
        ("TILLIT_SESSION_AGE_SECONDS", "8h", "is not a whole number"),
        ("TILLIT_SESSION_IDLE_SECONDS", "-5", "is less than"),
        ("TILLIT_EMERGENCY_ACCESS_HOURS", "four", "is not a whole number"),
    ],
)
def test_a_malformed_variable_is_an_error_not_a_default(name, value, says):
    done = read_settings("1", **{name: value})
    assert done.returncode != 0
    assert name in done.stderr
    assert says in done.stderr


@pytest.mark.parametrize(("value", "debug"), [("0", False), ("off", False), ("YES", True)])
def test_booleans_are_read_in_their_usual_spellings(value, debug):
    env = {"TILLIT_DEBUG": value, "TILLIT_SECRET_KEY": DEPLOY_KEY}
    assert read_settings("settings.DEBUG", **env).stdout.strip() == str(debug)


def test_the_readme_documents_every_variable_the_settings_read():
    source = (settings.BASE_DIR / "tillit" / "settings.py").read_text()
    names = set(re.findall(r"\benv(?:bool|int|list|secret)?\(\s*\"([A-Z_]+)\"", source))
    assert {"DEBUG", "SECRET_KEY", "SESSION_IDLE_SECONDS"} <= names
    readme = (settings.BASE_DIR / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1]
    missing = {name for name in names if f"`TILLIT_{name}`" not in table}
    assert not missing, f"not in README's configuration table: {sorted(missing)}"
    assert "`TILLIT_SECRET_KEY_FILE`" in table
    assert "`DATABASE_URL`" in table


def test_a_server_error_is_logged_with_its_traceback_in_production():
    """With DEBUG off Django only mails a 500 to ADMINS (Tillit has none): the log must
    have it, with its traceback, or an operator never learns what broke."""
    done = run(
        "-c",
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from django.utils.log import log_response\n"
        "request = RequestFactory().get('/broken/')\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    import sys\n"
        "    from django.http import HttpResponseServerError\n"
        "    log_response('Internal Server Error: %s', request.path,"
        " response=HttpResponseServerError(), request=request, exception=sys.exc_info()[1])\n",
        DJANGO_SETTINGS_MODULE="tillit.settings",
        TILLIT_DEBUG="0",
        TILLIT_SECRET_KEY=DEPLOY_KEY,
        TILLIT_ALLOWED_HOSTS="tillit.example",
    )
    assert done.returncode == 0, done.stderr
    assert "ERROR django.request Internal Server Error: /broken/" in done.stderr
    assert "ZeroDivisionError" in done.stderr


def test_static_root_is_set_from_the_environment(tmp_path):
    done = read_settings("settings.STATIC_ROOT", TILLIT_STATIC_ROOT=str(tmp_path))
    assert done.stdout.strip() == str(tmp_path)
