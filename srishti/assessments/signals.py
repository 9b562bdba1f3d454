"""Events other apps follow without the assessments app knowing them."""

from django.dispatch import Signal

# Sent inside the submitting transaction with `assessment` and `user`: a receiver that
# fails undoes the submission, so records derived from it never go missing.
assessment_submitted = Signal()

# Sent inside the reopening transaction with `assessment` and `user`: the assessment no
# longer counts in any figure (certification.standing follows it).
assessment_reopened = Signal()
