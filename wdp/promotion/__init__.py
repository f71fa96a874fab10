"""Promotion material per location: a poster, hand-out cards and the QR code of its short link."""
