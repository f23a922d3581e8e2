"""lowcarbon: Shanghai low-carbon demonstration creation (低碳示范创建) as software.

Layers depend only downward: ``cli`` (and later ``web``) → ``rules`` → ``core``.
``core`` is pure domain code; ``rules`` loads the cited data files in ``data/`` into it.
"""

__version__ = "0.1.0"
