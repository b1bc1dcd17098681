from django.urls import path

from firms import views

app_name = "firms"
urlpatterns = [
    path("", views.firm_list_view, name="firm-list"),
    path("<int:pk>/", views.firm_detail, name="firm-detail"),
]
