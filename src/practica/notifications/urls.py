from django.urls import path

from practica.notifications import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/bell/", views.bell, name="bell"),
    path("inbox/read/", views.mark_read, name="read"),
    path("inbox/<int:pk>/", views.open_notification, name="open"),
    path("follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("follows/<int:pk>/", views.follow_change, name="follow_change"),
    path("settings/notifications/", views.preferences, name="settings"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("people/mentions", views.mentions, name="mentions"),
]
