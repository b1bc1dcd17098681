"""The account page (API key), under /accounts/ next to Django's sign-in URLs."""

from django.urls import path

from contacts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.apikey_detail, name="apikey-detail"),
    path("profile/reset-key/", views.apikey_reset_view, name="apikey-reset"),
]
