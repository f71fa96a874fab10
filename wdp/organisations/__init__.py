"""Organisations: secure links per contact address, their page, responses, sign-ups."""
