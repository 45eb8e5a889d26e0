from django.urls import path, re_path

from . import views

app_name = "advice"
TOKEN = r"[A-Za-z0-9_-]{32,64}"

questionnaire = views.QuestionnaireView.as_view(url_name="advice:step", done_step_name="done")

urlpatterns = [
    path("", views.start, name="start"),
    path("questions/", questionnaire, name="questions"),
    path("questions/<slug:step>/", questionnaire, name="step"),
    re_path(rf"^result/(?P<token>{TOKEN})/$", views.result, name="result"),
    re_path(rf"^result/(?P<token>{TOKEN})/delete/$", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
