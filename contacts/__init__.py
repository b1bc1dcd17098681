"""Contacts: persons and companies, their items, addresses, custom fields, notes, tags and API keys."""
