"""Settings of the real server in tests/web/test_sqlite_load.py: the benchmark's (production-like,
local, throw-away database) with the sign-in limits of production, which the benchmark lifts."""

from __future__ import annotations

from lowcarbon.web.settings import base
from lowcarbon.web.settings.bench import *  # noqa: F403

AXES_FAILURE_LIMIT = base.AXES_FAILURE_LIMIT
LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT = base.LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT
