from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("", views.home, name="home"),
    path("entities/<str:identifier>/", views.entity, name="entity"),
    path("records/<str:kind>/<int:pk>/", views.record, name="record"),
    path("records/penalty/<int:pk>/repair/", views.repair_apply, name="repair_apply"),
    path("staff/", views.staff_records, name="staff_records"),
    path("staff/repairs/", views.staff_repairs, name="staff_repairs"),
    path("staff/repairs/<int:pk>/materials/<int:material>/", views.repair_material, name="repair_material"),
    path("staff/quality/", views.staff_quality, name="staff_quality"),
    path("staff/<str:kind>/", views.staff_records, name="staff_records_kind"),
    path("staff/<str:kind>/<int:pk>/", views.staff_record, name="staff_record"),
]
