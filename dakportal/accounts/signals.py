"""#10: a new password or a deactivation revokes every API token of the user.

Connected in `AccountsConfig.ready()` to the User's `pre_save` and `post_save`, so every path that saves a user
(the password change page, the admin, a management command, a service) is covered. Before the save, the stored
password hash and `is_active` are read (one small query, and none for a save of other fields only, such as a
login's `last_login`); after it, `revoke_all_tokens` runs with the reason, recorded in the history.

Not a password change: Django re-hashing the same password at login with a stronger hasher (`check_password`
saves only the new hash, with no new password set), which would otherwise revoke every token after an upgrade.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dakportal.accounts.services import revoke_all_tokens

WATCHED = {"password", "is_active"}
ATTRIBUTE = "_revoke_tokens_reason"


def note_credential_change(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save: compare the password hash and `is_active` with the stored row; note why tokens must go."""
    setattr(instance, ATTRIBUTE, None)
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return
    stored = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    rehash = update_fields is not None and set(update_fields) == {"password"} and instance._password is None
    if stored["password"] != instance.password and not rehash:
        setattr(instance, ATTRIBUTE, gettext("The password was changed."))
    elif stored["is_active"] and not instance.is_active:
        setattr(instance, ATTRIBUTE, gettext("The account was deactivated."))


def revoke_tokens_on_credential_change(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """post_save: revoke every token of the user when `note_credential_change` found a reason."""
    reason = getattr(instance, ATTRIBUTE, None)
    if reason and not raw:
        setattr(instance, ATTRIBUTE, None)
        revoke_all_tokens(instance, acting_user=None, reason=reason)
