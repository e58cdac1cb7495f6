from django.urls import path

from practica.accounts import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path(
        "people/expertise/<int:pk>/endorse/",
        views.endorse,
        name="endorse",
    ),
    path(
        "people/expertise/<int:pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "people/expertise/<int:pk>/verify/",
        views.verify,
        name="verify",
    ),
    path("settings/", views.settings_profile, name="settings"),
    path(
        "settings/expertise/",
        views.settings_expertise,
        name="settings_expertise",
    ),
    path(
        "settings/expertise/<int:pk>/remove/",
        views.expertise_remove,
        name="expertise_remove",
    ),
    path("settings/tokens/", views.settings_tokens, name="settings_tokens"),
    path(
        "settings/tokens/<int:pk>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
]
