"""Fixtures of the docs examples: one `docs_<page>` per page, which seeds data and returns env vars."""
