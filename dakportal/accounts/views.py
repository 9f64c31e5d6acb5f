"""The "API tokens" page of the logged-in user (#10): their tokens, a form to make one (its key shown once, on the
page the creation redirects to, and never again) and a revoke button per token. Only one's own tokens: another
user's answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from dakportal.accounts import services
from dakportal.accounts.forms import ApiTokenForm
from dakportal.accounts.models import ApiToken
from dakportal.accounts.requests import signed_in

NEW_TOKEN = "new_api_token"


@method_decorator(never_cache, name="dispatch")
class TokenListView(LoginRequiredMixin, View):
    template_name = "accounts/token_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        created = request.session.pop(NEW_TOKEN, None)  # shown once: gone from the session as it is shown
        if created:
            token = ApiToken.objects.filter(user=signed_in(request), pk=created["pk"]).first()
            return self.render(request, ApiTokenForm(), new_token=token, new_key=created["key"])
        return self.render(request, ApiTokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            user = signed_in(request)
            try:
                token, key = services.create_token(user, acting_user=user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # Post/redirect/get, so that reloading the page never makes a second token; the key waits in the
                # user's session only until the page shows it.
                request.session[NEW_TOKEN] = {"pk": token.pk, "key": key}
                return redirect("token_list")
        return self.render(request, form)

    def render(self, request: HttpRequest, form: ApiTokenForm, **context: Any) -> HttpResponse:
        tokens = ApiToken.objects.filter(user=signed_in(request))
        context = {"form": form, "tokens": tokens, **context}
        return render(request, self.template_name, context)


class TokenRevokeView(LoginRequiredMixin, View):
    """POST: revoke one of the user's own tokens."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(ApiToken.objects.filter(user=signed_in(request)), pk=pk)
        services.revoke_token(token, acting_user=signed_in(request))
        messages.success(request, _("The token %(token)s was revoked: it no longer works.") % {"token": token})
        return redirect("token_list")
