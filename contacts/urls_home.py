"""The dashboard."""

from django.urls import path

from contacts.views import contacts as views

urlpatterns = [path("", views.home, name="home")]
