"""HTML views of contacts, tags, custom fields and the account page, one module per page group.

Thin adapters: reads through `contacts.selectors` (so a contact the user may
not see is a 404, never a leak), writes through `contacts.services`. A request
sent by htmx (header `HX-Request`) gets the fragment it swaps in place.
"""
