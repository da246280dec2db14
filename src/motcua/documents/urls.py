"""Printable documents (PDF forms) — routes are added by the documents module."""

from django.urls import path  # noqa: F401

app_name = "documents"

urlpatterns: list = []
