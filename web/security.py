"""Security headers for every page and API answer, and the staff token check."""

from __future__ import annotations

import hmac

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an 'Authorization: Bearer <token>' header, if any."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def token_matches(expected: str | None, given: str | None) -> bool:
    """Compare the staff token in constant time; no configured token admits nobody."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
