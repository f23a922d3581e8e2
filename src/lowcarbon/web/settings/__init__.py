"""Settings: ``base`` shared, ``development`` (default of manage.py), ``production``, ``test``."""
