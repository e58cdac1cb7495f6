from django.http import HttpRequest, HttpResponse


def people(request: HttpRequest) -> HttpResponse:
    return HttpResponse("people")


def person(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


def settings_profile(request: HttpRequest) -> HttpResponse:
    return HttpResponse("settings")
