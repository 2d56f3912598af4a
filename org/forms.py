"""The sign-in forms: Django's, with the project's guard on what a username may be.

Django sets the username's max_length after building the field, so nothing checked it and an
overlong name reached django-axes, whose attempt log refused it with a database error. The
guard adds the missing length check and refuses control characters; a refused name is never
authenticated, so nothing is logged for it.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .inputs import TextGuardMixin


class LoginForm(TextGuardMixin, AuthenticationForm):
    pass


class AdminLoginForm(TextGuardMixin, AdminAuthenticationForm):
    pass
