"""Firms: the companies among the contacts, seen as firms (a proxy of Contact)."""
