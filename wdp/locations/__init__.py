"""Locations: register data, participation, register import and search."""
