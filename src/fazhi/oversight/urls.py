from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.home, name="home"),
    path("results/", views.results, name="results"),
    path("campaigns/new/", views.create, name="create"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("campaigns/<int:pk>/<str:action>/", views.advance, name="advance"),
    path("files/<int:pk>/", views.case_file, name="file"),
    path("files/<int:pk>/deductions/add/", views.add_deduction, name="add_deduction"),
    path("files/<int:pk>/deductions/<int:deduction>/", views.decide, name="decide"),
    path("files/<int:pk>/submit/", views.submit, name="submit"),
    path("files/<int:pk>/correct/", views.correct, name="correct"),
    path("files/<int:pk>/accept/", views.accept, name="accept"),
    path("statistics/", views.statistics_public, name="statistics"),
    path("statistics/manage/", views.statistics_manage, name="statistics_manage"),
    path("statistics/<int:pk>/publish/", views.statistics_publish, name="statistics_publish"),
]
