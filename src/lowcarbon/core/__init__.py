"""Pure domain: scoring, rubric validation and (later) accounting and forecast.

Nothing here imports Django, reads files or touches the network: callers resolve inputs into
the frozen dataclasses defined here and receive results that carry their own explanation.
"""
