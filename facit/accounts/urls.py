from django.contrib.auth import views as auth_views
from django.urls import path

from facit.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("people/", views.user_list, name="user_list"),
    path("people/<int:user_id>/", views.user_detail, name="user_detail"),
    path("confirm/", views.reauth, name="reauth"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
