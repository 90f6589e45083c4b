"""Pseudonyms for one study: a keyed hash (HMAC-SHA256) of what a row is about (a person,
a case, a worker) with the study's secret, which is drawn when the order is approved and
never leaves the database. The same key gives the same code in every run of the study;
another study's secret gives unrelated codes, so extracts of two studies cannot be joined.
Without the secret a code cannot be turned back, nor checked against a guessed person."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# 16 hex digits (64 bits): at a million persons the chance that two share a code is about
# one in 36 million.
LENGTH = 16
PREFIX = {"person": "p", "case": "c", "worker": "w"}


def new_secret() -> str:
    return secrets.token_hex(32)


class Pseudonyms:
    """Codes keyed with one study's secret."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a study's pseudonyms need its secret")
        self._key = bytes.fromhex(secret)

    def code(self, kind: str, pk: int) -> str:
        digest = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
        return f"{PREFIX[kind]}{digest[:LENGTH]}"

    def person(self, pk: int) -> str:
        return self.code("person", pk)

    def case(self, pk: int) -> str:
        return self.code("case", pk)

    def worker(self, pk: int) -> str:
        return self.code("worker", pk)
