"""The Django project: settings, root URLs and the WSGI/ASGI entry points."""
