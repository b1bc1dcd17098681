"""The demo data set that `manage.py seed_demo` loads: `data` (its vocabulary), `rows` (demo contacts
and their children as plain tuples) and `loading` (the rows into the database, fast at a million
contacts)."""
