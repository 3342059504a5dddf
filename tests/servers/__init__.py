"""Real servers the email tests run against: a private Dovecot (IMAP) and aiosmtpd (SMTP)."""
