from django.urls import path

from . import views

app_name = "discretion"
urlpatterns = [
    path("", views.calculator_page, name="calculator"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("benchmarks/", views.benchmarks_page, name="benchmarks"),
    path("benchmarks/<int:pk>/", views.benchmark_page, name="benchmark"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<int:pk>/", views.staff_benchmark, name="staff_benchmark"),
    path("staff/<int:pk>/import/", views.staff_import, name="staff_import"),
    path("staff/<int:pk>/publish/", views.staff_publish, name="staff_publish"),
    path("staff/<int:pk>/new-version/", views.staff_new_version, name="staff_new_version"),
    path("staff/<int:pk>/retire/", views.staff_retire, name="staff_retire"),
    path("staff/<int:pk>/export.<str:fmt>", views.staff_export, name="staff_export"),
    path("staff/items/<int:pk>/", views.staff_item, name="staff_item"),
    path("staff/rules/<int:pk>/", views.staff_rule, name="staff_rule"),
]
