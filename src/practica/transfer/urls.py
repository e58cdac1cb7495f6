from django.urls import path, re_path

from practica.transfer import views

app_name = "transfer"
urlpatterns = [
    path("people/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("people/<int:pk>/this-is-me/", views.claim_create, name="claim"),
    path("people/claims/", views.claim_list, name="claims"),
    path(
        "people/claims/<int:pk>/approve/",
        views.claim_approve,
        name="claim_approve",
    ),
    path(
        "people/claims/<int:pk>/decline/",
        views.claim_decline,
        name="claim_decline",
    ),
    # The token holds a dash itself: the id is base 36, before the first.
    re_path(
        r"^welcome/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>[0-9A-Za-z-]+)/$",
        views.welcome,
        name="welcome",
    ),
]
