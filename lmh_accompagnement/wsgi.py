import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmh_accompagnement.settings")

application = get_wsgi_application()
