"""URLs of the tags page, under /tags/."""

from django.urls import path

from contacts.views import tags as views

app_name = "tags"
urlpatterns = [
    path("", views.tag_list_view, name="tag-list"),
    path("suggest/", views.tag_suggest, name="tag-suggest"),
    path("<int:pk>/", views.tag_update, name="tag-update"),
    path("merge/", views.tag_merge_view, name="tag-merge"),
]
