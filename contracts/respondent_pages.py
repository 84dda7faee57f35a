"""The page a provider's contact opens from a finding's email: the findings the buyer
shared with its provider, each with its thread and a reply form.

Server-rendered and without JavaScript, like the response pages (``responses.views``):
the same link checks, rate limit and private headers, and the same services as the
respondent API (``contracts.api.views.respondent_findings``), so the rules are one.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import APIException

from contracts import finding_thread
from responses.form_values import form_text
from responses.views import open_link, private_page

MAX_ID_DIGITS = 18
GONE = "This finding is no longer shared with you, or it was closed."


def _shared(contact):
    request = contact.request
    return finding_thread.shared_with(
        request.evaluation.organization_id, request.candidate.provider_id
    ).prefetch_related("messages")


def _page(request, contact, token, *, status=200, error=None):
    """The findings page; ``error``: (finding id, text) of a reply that was refused
    (no id: the finding is not on the page any more)."""
    response_request = contact.request
    context = {
        "buyer": response_request.evaluation.organization.name,
        "provider": response_request.candidate.provider.name,
        "findings": list(_shared(contact)),
        "token": token,
        "error_finding": error[0] if error else None,
        "error_text": error[1] if error else "",
        "max_length": finding_thread.MAX_MESSAGE_LENGTH,
    }
    return private_page(render(request, "contracts/respond_findings.html", context, status=status))


@require_GET
def findings_page(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    return _page(request, contact, token)


@require_POST
def reply(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    text = request.POST.get("finding", "")
    finding_id = int(text) if text.isdigit() and len(text) <= MAX_ID_DIGITS else None
    finding = _shared(contact).filter(pk=finding_id).first() if finding_id else None
    if finding is None:
        return _page(request, contact, token, status=404, error=(None, GONE))
    body = form_text(request.POST.get("message", ""))
    if not body.strip() or len(body) > finding_thread.MAX_MESSAGE_LENGTH:
        limit = finding_thread.MAX_MESSAGE_LENGTH
        problem = f"Write your reply (at most {limit} characters)."
        return _page(request, contact, token, status=400, error=(finding.pk, problem))
    try:
        finding_thread.provider_reply(contact, finding, body)
    except APIException as refused:
        return _page(
            request,
            contact,
            token,
            status=refused.status_code,
            error=(finding.pk, str(refused.detail)),
        )
    messages.success(request, f"Sent your reply about “{finding.title}”.")
    return redirect(f"{reverse('respond-findings', kwargs={'token': token})}#f-{finding.pk}")
