"""The OpenAPI 3 document of the Redmine routes (docs/redmine.md, "OpenAPI document").

JSON schemas follow the plugin's JSON (`representations.py`); XML schemas come from the shapes
in `renderers.py`. Every route also answers with a `.json` or `.xml` suffix (`x-format-suffixes`).
"""

from dialects.redmine.openapi.contacts import TITLE, build, paths
from dialects.redmine.openapi.webform import build_webform

__all__ = ["TITLE", "build", "build_webform", "paths"]
