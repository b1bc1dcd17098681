"""WSGI entry point (gunicorn crm.wsgi), also what the benchmark serves its requests with.

Once the application is loaded, its URLconf is loaded too (it would be on the first request),
and everything the process holds then is frozen out of the garbage collector's sight
(`gc.freeze`): those objects live as long as the process, and a full collection, which a
request's garbage sets off every few dozen list requests, otherwise walks every one of them
(Django's and the project's modules, about a hundred thousand objects). Under gunicorn's
`--preload` the frozen pages also stay shared between the workers.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - loads the URLconf and every view module it imports
gc.collect()
gc.freeze()
