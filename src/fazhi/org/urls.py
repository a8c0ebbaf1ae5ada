from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("tokens/", views.tokens, name="tokens"),
    path("divisions/<str:code>/", views.division_page, name="division"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_page, name="agency"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/staff/new/", views.staff_create, name="staff_create"),
]
