from django.urls import path

from practica.conversations import views

app_name = "conversations"
urlpatterns = [
    # lists
    path("questions/", views.all_questions, name="all"),
    path("questions/for-me/", views.for_me, name="for_me"),
    path("c/<slug:slug>/questions/", views.conversation_list, name="list"),
    path(
        "c/<slug:slug>/unanswered/",
        views.conversation_list,
        {"sort": "unanswered"},
        name="unanswered",
    ),
    path("c/<slug:slug>/tags/", views.tags, name="tags"),
    path("tags/<int:pk>/decide/", views.tag_decide, name="tag_decide"),
    path("c/<slug:slug>/flags/", views.flags, name="flags"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    # asking
    path("c/<slug:slug>/ask/", views.ask, name="ask"),
    path("c/<slug:slug>/ask/similar/", views.similar, name="similar"),
    # a question or discussion
    path("q/<int:pk>/", views.detail, name="detail"),
    path("q/<int:pk>/answer/", views.answer, name="answer"),
    path("q/<int:pk>/vote/", views.vote, name="vote"),
    path("q/<int:pk>/comment/", views.comment, name="comment"),
    path("q/<int:pk>/flag/", views.flag, name="flag"),
    path("q/<int:pk>/edit/", views.edit, name="edit"),
    path("q/<int:pk>/revisions/", views.history, name="revisions"),
    path("q/<int:pk>/ask-person/", views.ask_person, name="ask_person"),
    path("q/<int:pk>/moderate/", views.moderate, name="moderate"),
    # an answer
    path("a/<int:pk>/vote/", views.reply_vote, name="reply_vote"),
    path("a/<int:pk>/accept/", views.accept, name="accept"),
    path("a/<int:pk>/worked/", views.worked, name="worked"),
    path("a/<int:pk>/comment/", views.reply_comment, name="reply_comment"),
    path("a/<int:pk>/flag/", views.reply_flag, name="reply_flag"),
    path("a/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("a/<int:pk>/revisions/", views.reply_history, name="reply_revisions"),
]
