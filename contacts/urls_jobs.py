"""URLs of the background-jobs pages, under /jobs/."""

from django.urls import path

from contacts.views import jobs as views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="job-list"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/status.json", views.job_status, name="job-status"),
    path("<int:pk>/download", views.job_download, name="job-download"),
]
