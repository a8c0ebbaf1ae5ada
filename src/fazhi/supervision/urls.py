from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/split/", views.split, name="split"),
    path("tasks/<int:pk>/nodes/", views.add_node, name="add_node"),
    path("tasks/<int:pk>/<str:action>/", views.step, name="step"),
]
