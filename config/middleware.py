"""Middleware of the project's own wiring."""

from .views import healthz


class HealthCheckMiddleware:
    """Answer ``/healthz`` before host validation and the HTTPS redirect.

    A load balancer or a container's health check probes each node by its address over plain
    HTTP (``Host: 10.0.0.7:8000``), which ALLOWED_HOSTS rightly refuses for every other page. The
    probe builds nothing from the Host header and tells only whether the database and Redis
    answer, so it is safe to serve whatever host it names. First in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
