"""API authentication: a personal access token (``Authorization: Bearer fz_…``) or the login session.

Staff endpoints use :data:`staff_auth`. A token acts as its user, so every jurisdiction check applies unchanged;
session calls keep Django's CSRF protection, token calls need none (no cookie is involved).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken

TOKEN_PREFIX = "fz_"  # noqa: S105 - a marker that makes leaked tokens easy to find, not a secret


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        found = ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True).select_related("user").first()
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=5):
            # usage bookkeeping, not a state change of the domain: throttled, not audited
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


staff_auth = [TokenAuth(), django_auth]
