"""Participation: the public sign-up, agreements recorded by admins, the rate, newcomers."""
