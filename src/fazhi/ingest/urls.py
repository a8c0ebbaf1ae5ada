from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload_page, name="upload"),
    path("runs/<int:pk>/", views.run_page, name="run"),
]
