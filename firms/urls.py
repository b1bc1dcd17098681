"""URLs of the firm pages, under /firms/."""

from django.urls import path

from firms import views

app_name = "firms"
urlpatterns = [
    path("", views.firm_list_view, name="firm-list"),
    path("<int:pk>/", views.firm_detail, name="firm-detail"),
    path("<int:pk>/merge/", views.firm_merge_view, name="firm-merge"),
]
