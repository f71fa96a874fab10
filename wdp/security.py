"""Security headers and the Content-Security-Policy sent with every response."""

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: the policy of the one page that other sites may show in a frame: the widget
FRAMEABLE_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def allow_framing(response):
    """Let any website show this response in an iframe; every other page refuses that."""
    response.frameable = True
    return response


def init_app(app):
    @app.after_request
    def _headers(response):
        headers = response.headers
        frameable = getattr(response, "frameable", False)
        headers.setdefault("Content-Security-Policy", FRAMEABLE_CSP if frameable else CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if not frameable:
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
