"""Wire dialects: the REST APIs of four existing contact systems, reproduced faithfully.

A dialect is a thin adapter: it parses a vendor's request envelope (JSON or
XML), renames fields and formats values in its serializers, calls the domain's
services and selectors (`contacts.services`, `contacts.selectors`), and renders
the vendor's response envelope and error bodies. Business rules never live
here, and the apps never import from here.

Each vendor has one folder with the same file names (serializers.py,
renderers.py, parsers.py, pagination.py, errors.py, views.py, urls.py, tests/);
adding a dialect is copying one folder and adding one line to `crm/urls.py`.
"""
