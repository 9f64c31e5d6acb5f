"""What each role may do: Django permissions `<app>.<action>_<model>`, granted by role (#2).

This table is the one home of the role rules. `RoleBackend` answers `user.has_perm()` from it, so views,
viewsets, admin and exports all ask Django's usual question. Patterns use shell wildcards on
`app_label.codename`. A role's *region* scope (which rows) is separate: see `dakportal.accounts.scoping`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from dakportal.accounts.choices import Role

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.MINISTRY: (
        "regions.view_*",
        "history.view_event",
        "accounts.view_user",
        "sentra.*",
        "allocations.*",
        "monev.view_*",
        "monev.review_monevreport",
        "monev.change_riskrule",  # #17: the risk register's thresholds and weights
    ),
    Role.AUDITOR: (
        "regions.view_*",
        "history.view_event",
        "sentra.view_*",
        "allocations.view_*",
        "monev.view_*",
        "monev.*_assignment",
        "monev.*_visit",  # #13: the field visit reports (only the team of a surat tugas writes its reports)
        "monev.*_finding",
        "monev.*_recommendation",
        "monev.verify_followup",
        "monev.change_riskrule",  # #17
    ),
    Role.ANALYST: (
        "regions.view_*",
        "history.view_event",
        "sentra.view_*",
        "allocations.view_*",
        "monev.view_*",
    ),
    Role.PROVINCIAL: (
        "regions.view_*",
        "history.view_event",
        "sentra.view_*",
        "allocations.view_*",
        "monev.view_*",
    ),
    Role.REGIONAL: (
        "regions.view_*",
        "history.view_event",
        "sentra.*",
        "allocations.view_*",
        "allocations.*_activityitem",
        "allocations.*_contract",
        "allocations.*_realisation",
        "allocations.*_quarterlyplan",  # #13.5: entered with the activity plan
        "allocations.add_stagedocument",  # #13: the region uploads; the ministry verifies (change)
        "monev.view_monevreport",
        "monev.view_reporttransition",
        "monev.view_evidence",
        "monev.view_finding",
        "monev.view_recommendation",
        "monev.view_followup",
        "monev.add_monevreport",
        "monev.change_monevreport",
        "monev.add_evidence",
        "monev.add_followup",
        # #13: the surat tugas naming the region and the issued visit reports of its sentra, read-only; the
        # registry corrections those reports propose, confirmed or rejected by the region
        "monev.view_assignment",
        "monev.view_visit",
        "monev.view_visittransition",
        "monev.view_registrycheck",
        "monev.decide_registrycheck",
        "monev.view_riskrule",  # #17: the rules behind their region's warnings
    ),
}

# Roles whose scope is the whole country; the others see only their kab/kota or province.
NATIONAL_ROLES = frozenset({Role.MINISTRY, Role.AUDITOR, Role.ANALYST})
# Roles that may open the admin.
STAFF_ROLES = frozenset({Role.MINISTRY})


def role_grants(role: str, perm: str) -> bool:
    return any(fnmatchcase(perm, pattern) for pattern in ROLE_PERMISSIONS.get(role, ()))
