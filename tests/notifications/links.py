"""Links in emails must lead to real routes of this service."""

import re

from django.conf import settings
from django.urls import resolve

URL = re.compile(r"https?://[^\s\"'<>)]+")


def resolved_links(message) -> dict[str, str]:
    """Every link of the text and HTML parts, by path, with the URL name it resolves
    to; a link to another host or an unknown path fails the test."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    names = {}
    for url in URL.findall(text) + URL.findall(html):
        assert url.startswith(settings.SITE_URL), url
        path = url[len(settings.SITE_URL) :].split("?")[0] or "/"
        names[path] = resolve(path).url_name
    return names
