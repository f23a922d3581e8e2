"""Links to the correction form of a stored interval, and the rows of intervals that offer it
(the meter's page, the correction form, an import's findings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse

from lowcarbon.monitoring.corrections import StoredInterval
from lowcarbon.web.monitoring.correction_actions import shown_number
from lowcarbon.web.monitoring.correction_forms import START_FORMAT
from lowcarbon.web.monitoring.models import Meter, ReadingQuality

__all__ = ["IntervalRow", "correction_link", "interval_rows"]


def correction_link(meter_pk: int, start: datetime) -> str:
    """The correction form of ``meter_pk``'s interval starting at ``start`` (store time)."""
    query = urlencode({"start": start.strftime(START_FORMAT)})
    return reverse("monitoring:correction_new", kwargs={"pk": meter_pk}) + "?" + query


@dataclass(frozen=True)
class IntervalRow:
    interval: StoredInterval
    consumption: str
    quality: str
    link: str


def interval_rows(meter: Meter, intervals: list[StoredInterval]) -> list[IntervalRow]:
    return [
        IntervalRow(
            interval,
            shown_number(interval.consumption),
            str(ReadingQuality(interval.quality.value).label),
            correction_link(meter.pk, interval.start),
        )
        for interval in intervals
    ]
