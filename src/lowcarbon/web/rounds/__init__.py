"""The rounds bounded context."""
