"""Tasks of the foundation (#15), run by `manage.py db_worker`."""

from __future__ import annotations

from django.tasks import task


@task
def run_export(job_id: int) -> None:
    from dakportal.jobs import exports

    exports.run(job_id)


@task
def prune_jobs() -> int:
    from dakportal.jobs import exports

    return exports.prune()


@task
def run_import(job_id: int) -> None:
    from dakportal.jobs import imports

    imports.run(job_id)
