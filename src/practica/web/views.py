from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Practica")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("invitation")
