from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "srishti.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from srishti.assessments.signals import assessment_submitted

        from .services import record_submitted_assessment

        assessment_submitted.connect(record_submitted_assessment,
                                     dispatch_uid="certification-on-submit")
