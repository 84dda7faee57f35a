"""Inviting through the API and reading the link back from the email as rendered."""

import re

from notifications.models import Kind, Notification

LINK = re.compile(r"https?://[^/\s]+(/invitations/accept/[^/\s]+/)")


def last_link(email: str) -> str:
    """The path of the accept link in the latest invitation email to ``email``."""
    row = Notification.objects.filter(kind=Kind.INVITATION, to_email=email).latest("id")
    return LINK.search(row.body_text).group(1)


def invite(client, email: str, role: str = "evaluator"):
    response = client.post("/api/v1/invitations/", {"email": email, "role": role}, format="json")
    assert response.status_code == 201, response.content
    return response.json()
