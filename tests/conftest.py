"""Shared pytest configuration: Hypothesis profiles, and no network beyond this machine.

``HYPOTHESIS_PROFILE=ci`` (set by .ci/run) runs 200 derandomized examples per property so CI is
reproducible; the default ``dev`` profile runs 100 random examples.

Government intranets have no internet, so nothing may need it: every test runs with outbound
connections refused except to this machine (the live server of the browser tests, the
throw-away PostgreSQL server, LibreOffice's local pipe).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, derandomize=True)
# The web tests again on PostgreSQL (`make test-postgres`): the random search's breadth was run on
# SQLite in the same CI job; here it looks for what PostgreSQL alone refuses (lengths, NUL
# characters, encodings), which the fuzz's named values also reach deterministically.
settings.register_profile("ci-postgres", max_examples=50, derandomize=True)
settings.register_profile("dev", max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

_LOCAL_NAMES = {"localhost", "testserver"}


def _is_local(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == socket.AF_UNIX or _is_local(address):
            return real_connect(self, address)
        raise RuntimeError(f"network access in a test: {address!r}")

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family == socket.AF_UNIX or _is_local(address):
            return real_connect_ex(self, address)
        raise RuntimeError(f"network access in a test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
