from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "srishti.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from django.db.models.signals import post_delete

        from srishti.assessments.models import Assessment
        from srishti.assessments.signals import assessment_reopened, assessment_submitted

        from .services import record_submitted_assessment
        from .standing import on_assessment_deleted, on_submitted_or_reopened

        assessment_submitted.connect(record_submitted_assessment,
                                     dispatch_uid="certification-on-submit")
        # What counts moves with every submission, reopening and deletion.
        assessment_submitted.connect(on_submitted_or_reopened,
                                     dispatch_uid="standing-on-submit")
        assessment_reopened.connect(on_submitted_or_reopened,
                                    dispatch_uid="standing-on-reopen")
        post_delete.connect(on_assessment_deleted, sender=Assessment,
                            dispatch_uid="standing-on-delete")
