from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.services import MAX_TOKEN_DAYS
from dakportal.forms import style_fields


class LoginForm(AuthenticationForm):
    """Django's login form with a message that reads well in Indonesian too."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
    }


class ApiTokenForm(forms.Form):
    """The "new API token" form of the token page (#10); the service checks the same rules again."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the script that uses it.")
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"), min_value=1, max_value=MAX_TOKEN_DAYS, help_text=_("From 1 to 365 days.")
    )
    read_only = forms.BooleanField(label=_("Read-only (may read, not write)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.API_TOKEN_DAYS
        style_fields(self)
