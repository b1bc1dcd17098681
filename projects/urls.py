"""URLs of the project pages, under /projects/."""

from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="project-list"),
    path("new/", views.project_create_view, name="project-create"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_update_view, name="project-update"),
    path("<int:pk>/members/", views.member_add_view, name="member-add"),
    path("<int:pk>/members/<int:user_id>/", views.member_update_view, name="member-update"),
    path("<int:pk>/members/<int:user_id>/remove/", views.member_remove_view, name="member-remove"),
    path("<int:pk>/invite/", views.invite_view, name="member-invite"),
    path("invitations/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
]
