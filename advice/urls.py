from django.urls import path, re_path

from . import views

app_name = "advice"

questionnaire = views.QuestionnaireView.as_view(url_name="advice:step", done_step_name="done")

urlpatterns = [
    path("", views.start, name="start"),
    path("questions/", questionnaire, name="questions"),
    path("questions/<slug:step>/", questionnaire, name="step"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{32,64})/$", views.result, name="result"),
]
