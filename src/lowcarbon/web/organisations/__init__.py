"""The organisations bounded context."""
