"""The HTTP rules of both APIs: cursor pagination, the per-address rate limit, conditional GET
and CORS for the public API, and the token of the internal one."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import SimpleRateThrottle

from org.client import client_ip
from org.inputs import single_line

from .services import api_client_for_token


class StableCursorPagination(CursorPagination):
    """Pages by a unique, indexed key (``WHERE code > …``): the same cost at any depth, and an
    item appears once across pages even while new publications are released in between."""

    ordering = "code"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = _("翻页参数 cursor 无效。")

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # A crafted cursor may hold any characters; the database must not see control ones.
        if cursor is not None and cursor.position is not None and cursor.position != single_line(cursor.position):
            raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


class ClientAddressThrottle(SimpleRateThrottle):
    """``API_PUBLIC_RATE`` requests per client address (behind the bureau's proxies, the address
    they forward, ``org.client.client_ip``); over it, 429 with Retry-After."""

    scope = "public"

    def get_rate(self):
        return settings.API_PUBLIC_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class SystemTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` of a registered system (``api.models.ApiClient``).

    The request then reads as ``client.reader()``: a staff member of the client's unit."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为：Bearer <令牌>。"))
        client = api_client_for_token(header[1].decode("latin-1"))
        if client is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已吊销。"))
        return client.reader(), client

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SystemTokenScheme(OpenApiAuthenticationExtension):
    target_class = SystemTokenAuthentication
    name = "systemToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Token issued to a government system by an administrator. 管理员为调用系统签发的令牌"}


class TaggedSchema(AutoSchema):
    """The documentation groups the public endpoints first, then the internal ones."""

    def get_tags(self):
        return [INTERNAL_TAG if "/internal/" in self.path else PUBLIC_TAG]


PUBLIC_TAG, INTERNAL_TAG = "public 公开接口", "internal 内部接口（须持令牌）"
