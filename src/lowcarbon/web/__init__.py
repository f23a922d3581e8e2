"""The Django web platform: one app per bounded context, every write an audited action."""
