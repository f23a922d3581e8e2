"""Where the platform keeps metered readings, and which community of the store a unit is.

One store serves the platform (``settings.LOWCARBON_MONITORING_DIR``, ``var/monitoring`` by
default; the same layout a city deployment keeps in object storage for Spark). Inside it, a unit
(an applicant unit of the creation stage: a community or a zone) is the community partition
named by its organisation's primary key, so that a unit renamed keeps its readings.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from lowcarbon.core.activity import DEFAULT_FACTOR_SET
from lowcarbon.monitoring.store import Store
from lowcarbon.web.applications.models import Application
from lowcarbon.web.organisations.models import Organisation

__all__ = ["community_key", "factor_set_of", "monitoring_store", "unit_of_community"]


def monitoring_store() -> Store:
    """The platform's store of readings (created on first write)."""
    return Store(Path(settings.LOWCARBON_MONITORING_DIR))


def community_key(unit: Organisation) -> str:
    """The store's community partition of ``unit``."""
    return str(unit.pk)


def unit_of_community(key: str) -> Organisation | None:
    """The unit whose partition is ``key``, or ``None`` for a community the platform does not
    know (a store shared with the CLI may hold others)."""
    if not key.isdigit():
        return None
    return Organisation.objects.filter(pk=int(key)).first()


def factor_set_of(unit: Organisation) -> str:
    """The factor set a unit's metered and household figures are computed with: its latest
    application's (the one its accounting uses; for a unit in creation, the selected one), else
    the default set."""
    application = (
        Application.objects.filter(unit=unit).order_by("-round__year", "-pk").only("factor_set_id")
    ).first()
    return application.factor_set_id if application is not None else DEFAULT_FACTOR_SET
