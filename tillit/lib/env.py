"""Tiny helpers that read TILLIT_* settings from the environment.

They fail closed: a value that is set but cannot be read (a boolean that is not one of
1/0, true/false, yes/no, on/off; an integer that is not one) stops the process with
ImproperlyConfigured naming the variable, rather than falling back to a default that may
be the unsafe one (TILLIT_DEBUG=flase must not mean debug on). An unset or empty variable
takes the default."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"TILLIT_{name}", default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"TILLIT_{name}={env(name)!r} is not a boolean: use 1 or 0 (true/false, yes/no, on/off)."
    )


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"TILLIT_{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"TILLIT_{name}={number} is less than {minimum}.")
    return number


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """TILLIT_<name>, or the contents of the file TILLIT_<name>_FILE names (a container's
    or systemd's secret, kept out of the environment); setting both is an error."""
    value, path = env(name), env(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"Set TILLIT_{name} or TILLIT_{name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"TILLIT_{name}_FILE={path!r} cannot be read: {error.strerror}."
            ) from None
    return value or default


def secret_key_problem(key: str, development_key: str) -> None:
    """Stop a production process whose secret key is missing, the development key, or one
    Django's deploy check would call weak (fewer than 50 characters or 5 different ones)."""
    make = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if not key:
        raise ImproperlyConfigured(
            "TILLIT_SECRET_KEY (or TILLIT_SECRET_KEY_FILE) must be set when TILLIT_DEBUG=0; " + make
        )
    if key == development_key or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "TILLIT_SECRET_KEY is the public development key; set a secret of your own: " + make
        )
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "TILLIT_SECRET_KEY is too weak (at least 50 characters, 5 different); " + make
        )
