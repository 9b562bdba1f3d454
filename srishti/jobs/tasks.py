"""The queued tasks (django-tasks). Arguments are ids: the rows hold the rest."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from .services import job_run

    job_run(job_id=job_id)



@task()
def send_notification(notification_id: int) -> None:
    from srishti.notifications.services import notification_send

    notification_send(notification_id=notification_id)
