"""The widget "Wat onze gebruikers zeggen": a frameable page, its JSON feed and how to embed it."""
