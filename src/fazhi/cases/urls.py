from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<str:step>/", views.case_step, name="step"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
