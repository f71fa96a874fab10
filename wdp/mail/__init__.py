"""Mail: the outbox (queue_mail), its sender (send_due) and the send-mail commands."""
