from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("metrics/", views.catalogue, name="catalogue"),
    path("metrics/<str:code>/<str:division>/<int:year>/", views.drilldown, name="drilldown"),
    path("annual/", views.report_list, name="reports"),
    path("annual/<int:pk>/", views.report_view, name="report"),
    path("annual/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("annual/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("annual/<int:pk>/download/<str:fmt>/", views.report_download, name="report_download"),
]
