import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Keep the collector's full passes off the objects every worker keeps for life (dangjian/kit/heap.py).
from dangjian.kit.heap import freeze_startup_heap  # noqa: E402

freeze_startup_heap()
