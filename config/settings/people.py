"""Settings for people and the email that reaches them (docs/people.md,
docs/notifications.md, docs/responses.md): the sign-in pages, invitations,
vendor respondent links, the mail backend and the reminders' schedule.

Read from the environment like the rest of the settings; ``base`` imports them.
Notification timeouts derived from Celery's stay in ``base``, next to the
timeouts they follow.
"""

from datetime import timedelta

import environ

env = environ.Env()

# People (docs/people.md): the sign-in pages, invitations and failed sign-ins.
LOGIN_URL = "login"
# Django's password check, refused for a while after repeated failures (accounts.signin).
AUTHENTICATION_BACKENDS = ["accounts.signin.ThrottledModelBackend"]
LOGIN_REDIRECT_URL = "account-tokens"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 3600)
PASSWORD_RESET_EMAILS_PER_HOUR = env.int("PASSWORD_RESET_EMAILS_PER_HOUR", default=3)
INVITATION_TTL = timedelta(seconds=env.int("INVITATION_TTL_SECONDS", default=7 * 24 * 3600))
INVITATION_MAX_PENDING = env.int("INVITATION_MAX_PENDING", default=200)
INVITATION_RESEND_INTERVAL_SECONDS = env.int("INVITATION_RESEND_INTERVAL_SECONDS", default=60)
INVITATION_MAX_SENDS = env.int("INVITATION_MAX_SENDS", default=5)
# Vendor responses (docs/responses.md): respondent links and their limits.
RESPONSE_LINK_TTL = timedelta(seconds=env.int("RESPONSE_LINK_TTL_SECONDS", default=30 * 24 * 3600))
RESPONSE_LINK_RESEND_INTERVAL_SECONDS = env.int("RESPONSE_LINK_RESEND_INTERVAL_SECONDS", default=60)
RESPONSE_LINK_MAX_SENDS = env.int("RESPONSE_LINK_MAX_SENDS", default=5)
RESPONSE_REMINDER_DAYS = env.int("RESPONSE_REMINDER_DAYS", default=3)
# The buyer's thread messages are emailed to a contact at most once per window
# (responses.services.notices): a burst of messages is one email, not one each.
RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS = env.int(
    "RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS", default=15 * 60
)
# Failed sign-ins allowed per username and per client address in the window.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)

# Email. EMAIL_URL picks the backend: the embedded default prints mail to the
# console; `smtp://host:port` (Mailpit in docker-compose) or `smtp+tls://user:pass@host:587`
# send it. Sends happen in the worker (notifications.delivery), never in a request.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# A mail server that stops answering must not hold a worker for the task's whole limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Provider Scorecards <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails start with this (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_BACKOFF_BASE_SECONDS = env.int("NOTIFICATION_BACKOFF_BASE_SECONDS", default=30)
# Ratings reminders (docs/notifications.md): due-soon this many days ahead, overdue
# once past; more items than the threshold for one member in a run become a digest.
RATINGS_REMINDER_DAYS = env.int("RATINGS_REMINDER_DAYS", default=3)
# A finding's owner is reminded once its due date is at most this many days away.
FINDING_REMINDER_DAYS = env.int("FINDING_REMINDER_DAYS", default=7)
REMINDER_DIGEST_THRESHOLD = env.int("REMINDER_DIGEST_THRESHOLD", default=3)
# Contract reminders (docs/contracts.md, "Reminders"): how many days ahead each is sent.
CONTRACT_NOTICE_REMINDER_DAYS = env.int("CONTRACT_NOTICE_REMINDER_DAYS", default=30)
CONTRACT_RENEWAL_REMINDER_DAYS = env.int("CONTRACT_RENEWAL_REMINDER_DAYS", default=30)
REASSESSMENT_REMINDER_DAYS = env.int("REASSESSMENT_REMINDER_DAYS", default=14)
# Beat sends them once a day at this hour (UTC), before most working days start.
REMINDERS_HOUR_UTC = env.int("REMINDERS_HOUR_UTC", default=7)
