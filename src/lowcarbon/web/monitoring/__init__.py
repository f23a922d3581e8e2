"""The monitoring system in the web: meters, imports, dashboards and the readings' store.

The readings and the meter register live in the Parquet store of :mod:`lowcarbon.monitoring`
(one store for the platform, partitioned by community); :mod:`.stores` says where it is and
which community of the store a unit is.
"""
