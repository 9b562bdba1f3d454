from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from ..selectors import assessment_scorecard


@login_required
def assessment_detail_view(request, pk: int):
    page = assessment_scorecard(user=request.user, pk=pk)
    return render(request, "assessments/assessment_detail.html", {"page": page,
                                                                   "assessment": page.assessment})


urlpatterns = [
    path("<int:pk>/", assessment_detail_view, name="assessment-detail"),
]
