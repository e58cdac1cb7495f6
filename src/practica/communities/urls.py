from django.urls import path

from practica.communities import views

app_name = "communities"
urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("communities/new/", views.community_create, name="create"),
    path("c/<slug:slug>/", views.community_detail, name="detail"),
    path("c/<slug:slug>/edit/", views.community_edit, name="edit"),
    path("c/<slug:slug>/join/", views.community_join, name="join"),
    path("c/<slug:slug>/leave/", views.community_leave, name="leave"),
    path("c/<slug:slug>/requests/", views.join_requests, name="requests"),
    path(
        "c/<slug:slug>/requests/<int:pk>/approve/",
        views.request_approve,
        name="request_approve",
    ),
    path(
        "c/<slug:slug>/requests/<int:pk>/decline/",
        views.request_decline,
        name="request_decline",
    ),
    path("c/<slug:slug>/members/", views.members, name="members"),
    path(
        "c/<slug:slug>/members/<int:pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "c/<slug:slug>/members/<int:pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("c/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
