from __future__ import annotations

from django.urls import path

from dakportal.accounts import views

# Included under accounts/ (dakportal/urls.py), next to login/, logout/ and password/.
urlpatterns = [
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
