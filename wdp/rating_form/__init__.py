"""The rating form: its start page, the steps, drafts, submission and e-mail confirmation."""
