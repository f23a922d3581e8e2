"""The ``lowcarbon`` command line: thin, translating, never showing a traceback to a user."""
