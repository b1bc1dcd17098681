from django.urls import path

from contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list_view, name="contact-list"),
    path("<int:pk>/", views.contact_detail, name="contact-detail"),
]
