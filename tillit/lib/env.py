"""Tiny helpers that read TILLIT_* settings from the environment."""

import os


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"TILLIT_{name}", default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]
