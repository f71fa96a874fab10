"""Publication after approval: the policy, publish / do not publish / withdraw, reminders and archiving."""
