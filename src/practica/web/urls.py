from django.urls import include, path

from practica.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]

# Each app keeps its own pages; the web app only mounts them. Routes are
# tried in order, so the busiest come first: search (one route of its
# own) before the apps whose routes it would otherwise fail through.
app_patterns = [
    path("", include("practica.search.urls")),
    path("", include("practica.communities.urls")),
    path("", include("practica.accounts.urls")),
    path("", include("practica.conversations.urls")),
    path("", include("practica.repertoire.urls")),
    path("", include("practica.events.urls")),
    path("", include("practica.mentoring.urls")),
    path("", include("practica.notifications.urls")),
    path("", include("practica.analytics.urls")),
    path("", include("practica.transfer.urls")),
]
