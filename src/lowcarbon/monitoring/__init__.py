"""The community greenhouse-gas monitoring system: metered readings in, monthly figures out.

On the documents floor: it imports ``lowcarbon.rules`` and ``lowcarbon.core`` only. The domain
rules (meters, how readings are read, the checks, the monthly roll-up) live in
:mod:`lowcarbon.core.metering`; this package reads utility exports (:mod:`.sources`), keeps the
raw readings in a Parquet store partitioned by community and month (:mod:`.store`), imports
files into it idempotently (:mod:`.ingest`) and runs the monthly job on DuckDB or Spark
(:mod:`.monthly`).
"""
