from django.urls import path, re_path

from . import views

app_name = "advice"
TOKEN = r"[A-Za-z0-9_-]{32,64}"

urlpatterns = [
    path("", views.start, name="start"),
    path("about/", views.about, name="about"),
    path("questions/", views.questions, name="questions"),
    path("questions/check/", views.check, name="check"),
    path("questions/<slug:step>/", views.question, name="step"),
    re_path(rf"^result/(?P<token>{TOKEN})/$", views.result, name="result"),
    re_path(rf"^result/(?P<token>{TOKEN})/delete/$", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
