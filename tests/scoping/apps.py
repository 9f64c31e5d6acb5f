from django.apps import AppConfig


class ScopingTestConfig(AppConfig):
    name = "tests.scoping"
    label = "scoping"

    def ready(self) -> None:
        # Grant the test model's permissions as a domain app would: officers and ministry edit, analysts and
        # provincial officers read, auditors nothing (the "wrong role" of the generated tests).
        from dakportal.accounts.choices import Role
        from dakportal.accounts.roles import ROLE_PERMISSIONS

        ROLE_PERMISSIONS[Role.MINISTRY] += ("scoping.*",)
        ROLE_PERMISSIONS[Role.REGIONAL] += ("scoping.*",)
        ROLE_PERMISSIONS[Role.ANALYST] += ("scoping.view_*",)
        ROLE_PERMISSIONS[Role.PROVINCIAL] += ("scoping.view_*",)
