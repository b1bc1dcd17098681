from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from contacts.search import register_sqlite_functions

        # The search index's SQLite triggers call crm_digits(); every connection needs it.
        connection_created.connect(register_sqlite_functions, dispatch_uid="contacts_sqlite_functions")
