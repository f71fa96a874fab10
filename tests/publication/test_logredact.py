"""The publication links' tokens never reach a log line (wdp/logredact.py)."""
from wdp.logredact import redact


def test_log_lines_never_hold_publication_tokens():
    for prefix in ("/publiceren/", "/niet-publiceren/", "/intrekken/"):
        line = f'"GET {prefix}AbC_123-xyzXYZ0123456789abcdefghijklmnopq HTTP/1.1" 200'
        assert redact(line) == f'"GET {prefix}[token] HTTP/1.1" 200'
    line = '"POST /mijn-waardering/MTIz.Ab-c_DEFghijklmnop1234/publiceren HTTP/1.1" 302'
    assert redact(line) == '"POST /mijn-waardering/[token]/publiceren HTTP/1.1" 302'
