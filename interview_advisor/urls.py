from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("advice.urls")),
]

# 403 and 404 are Django's own views with our templates. 400 never reads the request's body,
# and 500 also answers 503 while the database is down.
handler400 = "interview_advisor.errors.bad_request"
handler500 = "interview_advisor.errors.server_error"
