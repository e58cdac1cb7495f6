from django.urls import path

from practica.analytics import views

app_name = "analytics"
urlpatterns = [
    path("health/", views.overview, name="overview"),
    path("c/<slug:slug>/health/", views.health, name="health"),
    path("c/<slug:slug>/health/people/", views.people, name="people"),
    path("c/<slug:slug>/stories/", views.stories, name="stories"),
    path("c/<slug:slug>/stories/new/", views.story_new, name="story_new"),
    path("stories/<int:pk>/", views.story, name="story"),
    path(
        "stories/<int:pk>/feature/", views.story_feature, name="story_feature"
    ),
    path("stories/<int:pk>/hide/", views.story_hide, name="story_hide"),
    path("c/<slug:slug>/reflections/", views.reflections, name="reflections"),
    path(
        "c/<slug:slug>/reflections/new/",
        views.reflection_new,
        name="reflection_new",
    ),
    path("reflections/<int:pk>/", views.reflection, name="reflection"),
]
