"""Admin pages: editor accounts, code-of-conduct reasons, message templates, themes, policy."""
