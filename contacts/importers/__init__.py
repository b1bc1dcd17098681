"""Contacts in from CSV and vCard files: reading, mapping columns to fields, checking rows, bulk writing.

`reading` tells a file's format, encoding and delimiter and streams its records; `vcards` turns a
card into import values; `mapping` names the import targets and guesses each column's; `rows`
checks a row against the contact rules (`cells` reads the words and formats of single cells);
`writing` writes checked rows in bulk (`tables` holds the tables' columns and inserts the rows,
`updating` writes the rows that match existing contacts over them, the update mode); `running` runs
a whole import (the background task and `manage.py import_contacts` call it). docs/import.md
describes the columns, the encodings and the update mode.
"""

from contacts.importers.mapping import guess_mapping, mapping_override, target_choices, target_label
from contacts.importers.reading import ImportFileError, Source, source_open
from contacts.importers.running import (
    ImportSummary,
    check_mapping,
    check_match_target,
    default_targets,
    import_preview,
    import_run,
)

__all__ = [
    "ImportFileError",
    "ImportSummary",
    "Source",
    "check_mapping",
    "check_match_target",
    "default_targets",
    "guess_mapping",
    "import_preview",
    "import_run",
    "mapping_override",
    "source_open",
    "target_choices",
    "target_label",
]
