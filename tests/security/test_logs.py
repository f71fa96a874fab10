"""Link tokens never reach a log: not the app's, not werkzeug's, not gunicorn's access log."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from wdp.logredact import redact

ROOT = Path(__file__).resolve().parents[2]


def test_redact_hides_confirmation_tokens():
    line = 'GET /bevestig/AbC_123-xyzXYZ0123456789abcdefghijklmnopq HTTP/1.1'
    assert redact(line) == "GET /bevestig/[token] HTTP/1.1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_never_holds_a_token(database_url, tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "WDP_DATABASE_URL": database_url, "WDP_SECRET_KEY": "x"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "--access-logfile", str(log), "-w", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    token = "SecretToken_abcdefghijklmnopqrstuvwxyz0123456"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/over", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bevestig/{token}", timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 410
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    text = log.read_text()
    assert "/bevestig/[token]" in text
    assert token not in text


def test_a_child_logger_line_is_redacted_too(app, caplog):
    import logging
    handler_filtered = [h for h in logging.getLogger().handlers
                        if any(type(f).__name__ == "RedactTokens" for f in h.filters)]
    assert handler_filtered, "create_app puts the filter on the root handlers"
    record = logging.LogRecord("wdp.editors", logging.INFO, __file__, 1,
                               "opened %s", ("/redactie/wachtwoord/abcdefghijklmnop",), None)
    for handler in handler_filtered:
        for log_filter in handler.filters:
            log_filter.filter(record)
    assert record.getMessage() == "opened /redactie/wachtwoord/[token]"
