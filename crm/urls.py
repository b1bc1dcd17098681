"""Root URLs: the HTML UI, the admin, and one line per API dialect."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from dialects.redmine import urls as redmine_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("contacts.urls_accounts")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tags/", include("contacts.urls_tags")),
    path("contacts/", include("contacts.urls")),
    path("jobs/", include("contacts.urls_jobs")),
    path("firms/", include("firms.urls")),
    path("projects/", include("projects.urls")),
    path("redmine/", include("dialects.redmine.urls")),
    path("forms/", include((redmine_urls.webform_patterns, "webforms"))),
    path("api/2.0/", include("dialects.onlyoffice.urls")),
    path("incwo/<str:business_file_id>/", include("dialects.incwo.urls")),
    path("rest/v1/addressbook/", include("dialects.incoplax.urls")),
    path("", include("contacts.urls_home")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
