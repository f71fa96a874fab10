"""Keeps link tokens out of every log line, the access logs of gunicorn and werkzeug included."""
import logging
import re

#: the path segments after these prefixes are secrets (magic-link tokens; the signed status
#: token of /mijn-waardering/ contains a ".")
TOKEN_PATH = re.compile(r"(/bevestig/|/aanpassen/|/redactie/wachtwoord/|/publiceren/"
                        r"|/niet-publiceren/|/intrekken/|/mijn-waardering/|/organisatie/link/)[A-Za-z0-9_\-.]{8,}")


def redact(text):
    return TOKEN_PATH.sub(r"\1[token]", text)


class RedactTokens(logging.Filter):
    """A logging filter that rewrites the message and its arguments."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True


def install(logger_names=("werkzeug", "gunicorn.access", "gunicorn.error", "wdp")):
    """Filter the named loggers and every handler of the root logger.

    A logger's own filter does not see records of its children ("wdp.editors"), but every
    record that reaches a root handler passes the handler's filter.
    """
    targets = [logging.getLogger(name) for name in logger_names]
    targets += logging.getLogger().handlers
    for target in targets:
        if not any(isinstance(f, RedactTokens) for f in target.filters):
            target.addFilter(RedactTokens())
