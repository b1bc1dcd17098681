"""The account page (API key, password), under /accounts/ next to Django's sign-in URLs."""

from django.urls import path

from contacts.views import accounts as views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.apikey_detail, name="apikey-detail"),
    path("profile/reset-key/", views.apikey_reset_view, name="apikey-reset"),
    # Same path as Django's own view, which it shadows: Django's URL name still reverses here.
    path("password_change/", views.PasswordChangeView.as_view(), name="password-change"),
]
