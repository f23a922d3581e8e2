"""The tests run as on a government intranet: nothing beyond this machine is reachable."""

from __future__ import annotations

import socket

import pytest


def test_the_network_beyond_this_machine_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(RuntimeError):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1 (RFC 5737)


def test_this_machine_stays_reachable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
