import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
application = get_wsgi_application()

from practica.core import memory  # noqa: E402 (needs the settings)

memory.settle()
