"""A real SMTP server on loopback (aiosmtpd) for tests, and the fixtures that point WDP at it."""
import asyncio
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class SmtpServer:
    """A real SMTP server on a free loopback port that keeps what it accepts.

    reply_to_data and reply_to_rcpt are the answers it gives: "250 OK" or what a test sets.
    """

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received = []
        self.reply_to_data = "250 OK"
        self.reply_to_rcpt = "250 OK"
        self.delay = 0.0
        self._controller = None

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                      server_hostname="smtp.test")
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply_to_rcpt.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.reply_to_rcpt

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        if self.reply_to_data.startswith("250"):
            mail = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append((envelope.rcpt_tos, mail))
        return self.reply_to_data

    def message_ids(self):
        return [mail["Message-ID"] for _, mail in self.received]


@pytest.fixture
def smtp_down(app):
    """The SMTP settings point at a free port where nothing listens until the test starts it."""
    server = SmtpServer()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()
    app.config.update(saved)


@pytest.fixture
def smtp(smtp_down):
    smtp_down.start()
    return smtp_down


