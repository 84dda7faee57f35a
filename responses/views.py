"""The respondent's pages: the emailed link opens the questionnaire, a form per question.

Server-rendered, no JavaScript. They call the same services as the respondent
API, so the rules (what may change when, draft conflicts, validation) are the
same. The link token is in the address, so every page is sent with
``Referrer-Policy: same-origin`` (the token never leaks to a linked site) and
``Cache-Control: no-store``. Not ``no-referrer``: under it a browser posts the
forms with ``Origin: null``, which Django's CSRF check refuses (a 403 on every
save, seen only in a real browser). A link that is unknown is a 404 page; revoked or
expired, a 410 page; never a 500. Requests count against the link's rate limit
together with the API's (``RespondentLinkThrottle``): past it, a 429 page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import APIException, ValidationError

from config.exceptions import flatten_errors
from providers.choices import DocumentKind
from responses import links, rules
from responses.api.authentication import RespondentLinkThrottle
from responses.form_values import FormValueError, form_strings, form_text, form_value
from responses.selectors import answer_states
from responses.services import evidence, respondent
from responses.services.questions import asked_questions
from responses.services.respondent import DraftConflict

MAX_VERSION_DIGITS = 9
MAX_TITLE_LENGTH = 200


def private_page(response):
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _unusable(request, unusable: links.LinkUnusable):
    status = 410 if unusable.gone else 404
    return private_page(
        render(request, "responses/link_unusable.html", {"reason": unusable.reason}, status=status)
    )


def open_link(request, token):
    """(the link's contact, None), or (None, the page saying why it cannot be used)."""
    try:
        contact = links.find_contact(token)
    except links.LinkUnusable as unusable:
        return None, _unusable(request, unusable)
    request.respondent_contact = contact
    throttle = RespondentLinkThrottle()
    if not throttle.allow_request(request, None):
        context = {"reason": "throttled", "wait": int(throttle.wait())}
        page = render(request, "responses/link_unusable.html", context, status=429)
        page["Retry-After"] = str(int(throttle.wait()))
        return None, private_page(page)
    return contact, None


def _described_by(question, prefill, error: str) -> str:
    """The ids of what a screen reader reads out with the question's control: its
    help, the prefill note, the evidence field's hint, the error of the last save."""
    ids = [f"h-{question.code}"] if question.help_text else []
    if prefill:
        ids.append(f"p-{question.code}")
    if question.kind == "evidence":
        ids.append(f"n-{question.code}")
    if error:
        ids.append(f"e-{question.code}")
    return " ".join(ids)


def _page(request, contact, token, *, status=200, focus=None):
    """The whole response. ``focus``: (code, posted strings, error text) of a form
    that was refused, shown again as posted with its error (strings None: the
    refused form was the clarification's, the answer shows as saved)."""
    response_request = contact.request
    response_request.refresh_from_db(fields=["status", "draft_version", "submitted_at"])
    states = {s["question"]: s for s in answer_states(response_request, for_respondent=True)}
    reviews = {code: state["review"] for code, state in states.items()}
    sections = []
    for entry in asked_questions(response_request):
        questions = []
        for question in entry.questions:
            state = states[question.code]
            strings = form_strings(question.kind, state["value"])
            error = ""
            if focus and focus[0] == question.code:
                error = focus[2]
                if focus[1] is not None:
                    strings = focus[1]
            questions.append(
                {
                    "question": question,
                    "state": state,
                    "strings": strings,
                    "error": error,
                    "described_by": _described_by(question, state["prefill"], error),
                    "editable": rules.editable(response_request.status, reviews, question.code),
                    "may_reply": rules.may_reply(
                        response_request.status, [m["side"] for m in state["messages"]]
                    ),
                    "scale": range(question.scale_max + 1),
                }
            )
        sections.append({"section": entry.section, "questions": questions})
    context = {
        "documents": evidence.uploaded_documents(response_request),
        "document_kinds": DocumentKind.choices,
        "contact": contact,
        "response_request": response_request,
        "buyer": response_request.evaluation.organization.name,
        "provider": response_request.candidate.provider.name,
        "sections": sections,
        "token": token,
        "may_submit": response_request.status in (rules.SENT, rules.IN_PROGRESS, rules.RETURNED),
    }
    return private_page(render(request, "responses/respond.html", context, status=status))


def _messages(exc: APIException) -> str:
    return " ".join(item["message"] for item in flatten_errors(exc.detail))


@require_GET
def response_page(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    return _page(request, contact, token)


def _version(request) -> int | None:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() and len(text) <= MAX_VERSION_DIGITS else None


def _back(token, anchor=""):
    url = reverse("respond", kwargs={"token": token})
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
def save_answer(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    code = request.POST.get("question", "")[:40]
    posted = request.POST.getlist("value")[: respondent.MAX_ITEMS]
    question = next(
        (
            q
            for entry in asked_questions(contact.request)
            for q in entry.questions
            if q.code == code
        ),
        None,
    )
    version = _version(request)
    if question is None or version is None:
        messages.error(request, "That form is out of date; here is the current response.")
        return _page(request, contact, token, status=400)
    try:
        value = form_value(question.kind, posted)
        respondent.save_draft(
            contact, base_version=version, items=[{"question": code, "value": value}]
        )
    except FormValueError as refused:
        return _page(request, contact, token, status=400, focus=(code, posted, str(refused)))
    except DraftConflict as conflict:
        text = (
            "Someone else changed this answer since you opened the page: it now reads as "
            "shown below the form. Your answer was not saved; it is still in the form, so "
            "save it again to replace theirs, or leave theirs. " + _messages(conflict)
        )
        return _page(request, contact, token, status=409, focus=(code, posted, text))
    except ValidationError as invalid:
        return _page(request, contact, token, status=400, focus=(code, posted, _messages(invalid)))
    except APIException as refused:
        return _page(
            request,
            contact,
            token,
            status=refused.status_code,
            focus=(code, posted, _messages(refused)),
        )
    messages.success(request, f"Saved your answer to {code}.")
    return _back(token, f"q-{code}")


@require_POST
def reply(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    code = request.POST.get("question", "")[:40]
    body = form_text(request.POST.get("message", ""))
    if not body.strip() or len(body) > respondent.MAX_MESSAGE_LENGTH:
        limit = respondent.MAX_MESSAGE_LENGTH
        text = f"Write your answer to the clarification (at most {limit} characters)."
        return _page(request, contact, token, status=400, focus=(code, None, text))
    try:
        respondent.reply(contact, question_code=code, body=body)
    except APIException as refused:
        return _page(
            request,
            contact,
            token,
            status=refused.status_code,
            focus=(code, None, _messages(refused)),
        )
    messages.success(request, f"Sent your answer to the clarification of {code}.")
    return _back(token, f"q-{code}")


@require_POST
def upload(request, token):
    """One evidence file, with the checks of the API's upload; errors shown on the page."""
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    title = request.POST.get("title", "").strip()
    kind = request.POST.get("kind", "")
    upload_file = request.FILES.get("file")
    if not title or len(title) > MAX_TITLE_LENGTH or kind not in DocumentKind.values:
        messages.error(
            request,
            f"Give the document a title (at most {MAX_TITLE_LENGTH} "
            "characters) and choose what it is.",
        )
        return _page(request, contact, token, status=400)
    if upload_file is None:
        messages.error(request, "Choose the file to upload.")
        return _page(request, contact, token, status=400)
    try:
        document = evidence.upload_evidence(contact, kind=kind, title=title, upload=upload_file)
    except APIException as refused:
        messages.error(request, _messages(refused))
        return _page(request, contact, token, status=refused.status_code)
    messages.success(request, f"Uploaded {document.original_filename} as document {document.pk}.")
    return _back(token, "evidence")


@require_POST
def submit(request, token):
    contact, refusal = open_link(request, token)
    if refusal:
        return refusal
    try:
        respondent.submit(contact)
    except APIException as refused:
        messages.error(request, _messages(refused))
        return _page(request, contact, token, status=refused.status_code)
    messages.success(request, "Submitted. The buyer will review your answers.")
    return _back(token)
