from django.urls import path

from practica.mentoring import views

app_name = "mentoring"
urlpatterns = [
    # a community's help, board, pathway
    path("c/<slug:slug>/help/", views.community_help, name="community"),
    path("c/<slug:slug>/help/offer/", views.offer_form, name="offer"),
    path("c/<slug:slug>/help/ask/", views.request_form, name="ask"),
    path("c/<slug:slug>/help/board/", views.board, name="board"),
    path("c/<slug:slug>/help/propose/", views.propose, name="propose"),
    path("c/<slug:slug>/pathway/", views.pathway, name="pathway"),
    path(
        "c/<slug:slug>/pathway/edit/", views.pathway_edit, name="pathway_edit"
    ),
    path("c/<slug:slug>/pathway/progress/", views.progress, name="progress"),
    path("pathway/steps/<int:pk>/tick/", views.step_tick, name="tick"),
    # requests, matches, mentorships; my help
    path("help/", views.mine, name="mine"),
    path("help/requests/<int:pk>/", views.request_detail, name="request"),
    path("help/matches/<int:pk>/answer/", views.match_answer, name="answer"),
    path(
        "help/matches/<int:pk>/confirm/", views.match_confirm, name="confirm"
    ),
    path("help/matches/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("mentorships/<int:pk>/", views.mentorship, name="mentorship"),
]
