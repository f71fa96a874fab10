"""gunicorn settings for WDP: access logs without link tokens (run: gunicorn -c gunicorn.conf.py)."""
from gunicorn.glogging import Logger

from wdp.logredact import redact

wsgi_app = "wdp:create_app()"
bind = "127.0.0.1:8000"
accesslog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with every token path in the access log replaced by [token]."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "{raw_uri}e", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
