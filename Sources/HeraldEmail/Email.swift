// The email backend's module: a plain-text rendering of a post (PlainTextRenderer), an
// email-safe HTML rendering, and a MIME message holding both (EmailBackend, MailMessage),
// which Sendmail hands to the system's mail transfer agent.
