from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their role and the regions they may see; their API tokens."""

    name = "dakportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from dakportal.accounts import signals

        # #10: a new password or a deactivation revokes the user's API tokens (signals.py).
        user = self.get_model("User")
        pre_save.connect(signals.note_credential_change, sender=user, dispatch_uid="accounts-token-revocation-pre")
        post_save.connect(
            signals.revoke_tokens_on_credential_change, sender=user, dispatch_uid="accounts-token-revocation-post"
        )
