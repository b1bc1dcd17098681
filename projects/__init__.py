"""Projects: groups of contacts with members, roles and web forms."""
