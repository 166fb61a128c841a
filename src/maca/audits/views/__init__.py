"""Audit pages: `audits` (list, create, the audit's page, its lifecycle and documents) and `editing` (the Terms of
Reference, section by section)."""
