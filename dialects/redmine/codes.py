"""Redmine's code tables: the numbers the plugin uses for visibility and note types, and the
contact attributes that are contact items here (docs/redmine.md, "Shapes")."""

from __future__ import annotations

from contacts.models import ContactItem, Note, Visibility

# The plugin's "Creating a contact": visibility "0" - Project, "1" - Public, "2" - Private.
VISIBILITY_CODES = {Visibility.PROJECT: 0, Visibility.PUBLIC: 1, Visibility.PRIVATE: 2}
VISIBILITY_BY_CODE = {code: value for value, code in VISIBILITY_CODES.items()}
# The plugin's note.rb: TYPE_EMAIL = 0, TYPE_CALL = 1, TYPE_MEETING = 2; a plain note has none.
NOTE_TYPE_CODES = {Note.Kind.EMAIL: 0, Note.Kind.CALL: 1, Note.Kind.MEETING: 2}
NOTE_KIND_BY_CODE = {code: kind for kind, code in NOTE_TYPE_CODES.items()}
# Contact attributes that are contact items here.
ITEM_INPUTS = {
    "phone": ContactItem.Kind.TEL,
    "email": ContactItem.Kind.EMAIL,
    "website": ContactItem.Kind.URL,
    "skype_name": ContactItem.Kind.SKYPE,
}
