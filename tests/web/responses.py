"""Reading a download in a test as a browser would, without losing the test's database.

Closing a response sends ``request_finished``, whose ``close_old_connections`` would close the
database connection inside the test's transaction (PostgreSQL then answers "the connection is
closed"); the test client avoids it the same way when it closes a response itself.
"""

from __future__ import annotations

from django.core.signals import request_finished
from django.db import close_old_connections
from django.http.response import HttpResponseBase

__all__ = ["close", "read_download"]


def close(response: HttpResponseBase) -> None:
    """Close ``response`` without closing the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def read_download(response: HttpResponseBase) -> bytes:
    """The whole body of a streaming response (a file download), then closed."""
    try:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    finally:
        close(response)
