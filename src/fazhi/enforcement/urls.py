from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("officers/", views.officers, name="officers"),
    path("officers/<int:pk>/", views.officer, name="officer"),
    path("powers/", views.powers, name="powers"),
    path("powers/<int:pk>/", views.power, name="power"),
    path("inspections/", views.inspections, name="inspections"),
    path("verify/", views.verify_form, name="verify"),
    path("verify/public-key.pem", views.public_key_pem, name="public_key_pem"),
    path("verify/public-key.txt", views.public_key_txt, name="public_key_txt"),
    path("verify/<str:number>/", views.verify, name="verify_number"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/bodies/new/", views.staff_body_create, name="staff_body_create"),
    path("staff/bodies/<int:pk>/", views.staff_body, name="staff_body"),
    path("staff/officers/", views.staff_officers, name="staff_officers"),
    path("staff/officers/new/", views.staff_officer_create, name="staff_officer_create"),
    path("staff/officers/import/", views.staff_officer_import, name="staff_officer_import"),
    path("staff/officers/<int:pk>/", views.staff_officer, name="staff_officer"),
    path("staff/certificates/<int:pk>/", views.staff_certificate, name="staff_certificate"),
    path("staff/certificates/<int:pk>/card/", views.certificate_card, name="certificate_card"),
    path("staff/certificates/<int:pk>/<str:step>/", views.certificate_step, name="certificate_step"),
    path("staff/powers/", views.staff_powers, name="staff_powers"),
    path("staff/powers/new/", views.staff_power_create, name="staff_power_create"),
    path("staff/powers/<int:pk>/", views.staff_power, name="staff_power"),
]
