"""The background tasks of signing (django-tasks): one signing job, and the pick-up of jobs
whose task was lost (a worker killed mid-way), run by the heartbeat when due."""

from __future__ import annotations

from motcua.server.tasks import task


@task()
def sign_job(job_id: int) -> str:
    from motcua.signing.services import run_job

    return run_job(job_id)


@task()
def retry_due() -> int:
    from motcua.signing.services import enqueue_due

    return enqueue_due()


@task()
def check_paper(file_id: int) -> None:
    from motcua.signing.services import check_paper_now

    check_paper_now(file_id)
