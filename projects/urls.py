"""URLs of the project pages, under /projects/."""

from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="project-list"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/web-forms/", views.webform_create_view, name="webform-create"),
]
