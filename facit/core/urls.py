from django.urls import path

from facit.core import views

app_name = "core"
urlpatterns = [path("<uuid:job_id>/", views.job_status, name="job")]
