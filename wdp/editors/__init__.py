"""Editor accounts: sign-in with a password and a second factor, sessions, password reset."""
