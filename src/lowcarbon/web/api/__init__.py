"""The public API under ``/api/v1/`` (django-ninja, OpenAPI 3.1): tokens with scopes, problem
responses, cursor pagination, and the resources of rounds, decisions, creation units and
monitoring (docs/api.md)."""
