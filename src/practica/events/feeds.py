"""Calendar feeds: plain GETs a calendar client polls, so no session is
needed. A public community's feed is open; any other needs the personal
feed token (``?token=prf_…``) of someone who may see the community. The
personal feed's URL carries the token itself; revoking it stops the URL.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from practica import access
from practica.communities.models import Community
from practica.events import ical, selectors, services

CACHE = "private, max-age=300"


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _viewer(request: HttpRequest) -> object:
    token = request.GET.get("token", "")
    if token:
        person = services.feed_user(token)
        if person is None:
            raise Http404("This calendar link is not valid any more.")
        return person
    return request.user


@require_GET
def community_feed(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request)
    community = Community.objects.filter(slug=slug).first()
    if community is None or not access.can(viewer, "view", community):
        raise Http404("No such community.")
    events, rows = selectors.feed_events(viewer=viewer, community=community)
    body = ical.community_feed(f"{community.name} events", events, rows)
    return _ics(body, f"{community.slug}.ics")


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = services.feed_user(token)
    if person is None:
        raise Http404("This calendar link is not valid any more.")
    slots = selectors.my_feed(person)
    body = ical.personal_feed(f"{person.name}: Practica events", slots)
    return _ics(body, "practica.ics")


@require_GET
def event_file(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = selectors.event_get(viewer=viewer, pk=pk)
    body = ical.event_file(event, selectors.event_exceptions(event))
    response = _ics(body, f"event-{event.pk}.ics")
    response["Content-Disposition"] = (
        f'attachment; filename="event-{event.pk}.ics"'
    )
    return response
