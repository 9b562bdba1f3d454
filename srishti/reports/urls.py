from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:pk>/scorecard.pdf", views.scorecard_pdf_view,
         name="report-scorecard-pdf"),
    path("assessments/<int:pk>/workbook.xlsx", views.assessment_workbook_view,
         name="report-assessment-workbook"),
    path("districts/<int:pk>/summary.pdf", views.district_summary_pdf_view,
         name="report-district-pdf"),
    path("divisions/<int:pk>/summary.pdf", views.division_summary_pdf_view,
         name="report-division-pdf"),
    path("blocks/<int:pk>/summary.pdf", views.block_summary_pdf_view,
         name="report-block-pdf"),
]
