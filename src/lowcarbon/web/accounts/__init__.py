"""The accounts bounded context."""
