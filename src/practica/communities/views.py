from django.http import HttpRequest, HttpResponse


def community_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("communities")


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("invitation")
