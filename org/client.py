"""The visitor's address, as seen through the bureau's reverse proxies.

Behind a proxy every request comes from the proxy's address. ``TRUSTED_PROXIES`` (addresses or
networks) names the proxies whose forwarding header may be believed; the client is the
right-most address of that header that is not itself a trusted proxy. A request that does not
come from a trusted proxy is taken at its socket address, whatever headers it sends, so a
visitor cannot choose their own address by sending ``X-Forwarded-For``.

The public opinion limit and the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) both
read the address here.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in net for net in networks)


def client_ip(request):
    """The client's address as a string ('' when the socket address is unusable)."""
    networks = settings.TRUSTED_PROXIES  # parsed (and checked) by the settings
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if not _trusted(peer, networks):
        return str(peer) if peer else ""
    hops = [_address(h) for h in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a garbled hop: trust nothing left of it
        if not _trusted(hop, networks):
            return str(hop)
    return str(peer)
