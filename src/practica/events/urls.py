from django.urls import path

from practica.events import feeds, views

app_name = "events"
urlpatterns = [
    # a community's calendar, its feed, scheduling, rhythm health
    path(
        "c/<slug:slug>/events/",
        views.community_calendar,
        name="calendar",
    ),
    path(
        "c/<slug:slug>/events/feed.ics",
        feeds.community_feed,
        name="community_feed",
    ),
    path("c/<slug:slug>/events/new/", views.create, name="create"),
    path("c/<slug:slug>/events/rhythm/", views.rhythm, name="rhythm"),
    # mine
    path("events/", views.my_calendar, name="mine"),
    path("events/feed/", views.feed_token, name="feed_token"),
    path(
        "events/feed/<str:token>.ics",
        feeds.personal_feed,
        name="personal_feed",
    ),
    # an event and its occurrences
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/event.ics", feeds.event_file, name="event_file"),
    path("events/<int:pk>/edit/", views.edit, name="edit"),
    path("events/<int:pk>/<str:start>/", views.occurrence, name="occurrence"),
    path("events/<int:pk>/<str:start>/rsvp/", views.rsvp, name="rsvp"),
    path(
        "events/<int:pk>/<str:start>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(
        "events/<int:pk>/<str:start>/problems/",
        views.problem,
        name="problem",
    ),
    path("events/<int:pk>/<str:start>/notes/", views.notes, name="notes"),
    path(
        "events/problems/<int:pk>/remove/",
        views.problem_remove,
        name="problem_remove",
    ),
    path(
        "events/actions/<int:pk>/done/",
        views.action_done,
        name="action_done",
    ),
    path(
        "events/<int:pk>/<str:start>/artifact/",
        views.to_artifact,
        name="artifact",
    ),
    path("events/<int:pk>/<str:start>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/<str:start>/move/", views.move, name="move"),
    path(
        "events/<int:pk>/<str:start>/occurrence.ics",
        views.occurrence_file,
        name="occurrence_file",
    ),
]
