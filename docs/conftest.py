"""Fixtures of the docs examples: one `docs_<page>` per page, which seeds data and returns env vars."""

from dialects.incoplax.tests.docs_fixtures import docs_incoplax  # noqa: F401
from dialects.incwo.tests.docs_fixtures import docs_incwo  # noqa: F401
from dialects.onlyoffice.tests.docs_fixtures import docs_onlyoffice  # noqa: F401
from dialects.redmine.tests.docs_fixtures import docs_redmine  # noqa: F401
