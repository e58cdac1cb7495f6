import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
application = get_asgi_application()

from practica.core import memory  # noqa: E402 (needs the settings)

memory.settle()
