"""The SSRF guard: refused on save and again, pinned, before every attempt."""

import pytest

from integrations import sender, ssrf

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"

REFUSED = [
    ("http://hooks.example.com/", "https"),
    ("ftp://hooks.example.com/", "https"),
    ("https://user:secret@hooks.example.com/", "credentials"),
    ("https:///path", "no host"),
    ("https://127.0.0.1/", "non-public"),
    ("https://127.255.0.9:8443/", "non-public"),
    ("https://10.0.0.1/", "non-public"),
    ("https://172.16.5.4/", "non-public"),
    ("https://192.168.1.1/", "non-public"),
    ("https://169.254.169.254/latest/meta-data/", "non-public"),  # cloud metadata
    ("https://100.64.0.1/", "non-public"),  # shared address space (CGNAT)
    ("https://0.0.0.0/", "non-public"),
    ("https://224.0.0.1/", "non-public"),  # multicast
    ("https://240.0.0.1/", "non-public"),  # reserved
    ("https://255.255.255.255/", "non-public"),
    ("https://[::1]/", "non-public"),
    ("https://[::]/", "non-public"),
    ("https://[fc00::1]/", "non-public"),  # unique local
    ("https://[fd12:3456::1]/", "non-public"),
    ("https://[fe80::1]/", "non-public"),  # link-local
    ("https://[fe80::1%25eth0]/", "non-public"),
    ("https://[fec0::1]/", "non-public"),  # site-local
    ("https://[ff02::1]/", "non-public"),  # multicast
    ("https://[::ffff:127.0.0.1]/", "non-public"),  # IPv4-mapped
    ("https://[::ffff:7f00:1]/", "non-public"),
    ("https://[::ffff:169.254.169.254]/", "non-public"),
    ("https://[64:ff9b::a00:1]/", "non-public"),  # NAT64 of 10.0.0.1
    ("https://[2002:7f00:1::]/", "non-public"),  # 6to4 of 127.0.0.1
    ("https://2130706433/", "dotted decimal"),  # 127.0.0.1 as one number
    ("https://0x7f000001/", "dotted decimal"),
    ("https://0x7f.1/", "dotted decimal"),
    ("https://0177.0.0.1/", "dotted decimal"),  # octal
    ("https://127.1/", "dotted decimal"),
    ("https://017700000001/", "dotted decimal"),
    ("https://localhost/", "non-public"),
    ("https://loopback.example/", "non-public"),  # resolves to 127.0.0.1
    ("https://mixed.example/", "non-public"),  # one public, one private address
    ("https://v6-loopback.example/", "non-public"),
    ("https://nowhere.example/", "could not be resolved"),
]


@pytest.fixture
def dns(fake_dns):
    fake_dns.update(
        {
            "hooks.example.com": [PUBLIC_V4],
            "v6.example.com": [PUBLIC_V6],
            "localhost": ["127.0.0.1", "::1"],
            "loopback.example": ["127.0.0.1"],
            "mixed.example": [PUBLIC_V4, "10.1.2.3"],
            "v6-loopback.example": ["::1"],
        }
    )
    return fake_dns


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_refused_targets(dns, url, reason):
    with pytest.raises(ssrf.UnsafeTarget, match=reason):
        ssrf.check_url(url)
    with pytest.raises(ssrf.UnsafeTarget):
        ssrf.pin(url)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://hooks.example.com/scorecards?x=1", PUBLIC_V4),
        ("https://HOOKS.example.com./scorecards?x=1", PUBLIC_V4),
        ("https://v6.example.com/", PUBLIC_V6),
        (f"https://{PUBLIC_V4}:8443/", PUBLIC_V4),
        (f"https://[{PUBLIC_V6}]/", PUBLIC_V6),
    ],
)
def test_public_targets_are_pinned_to_the_vetted_address(dns, url, address):
    ssrf.check_url(url)
    target = ssrf.pin(url)
    assert target.address == address
    assert target.scheme == "https"


def test_pin_keeps_host_port_and_path_for_the_request(dns):
    target = ssrf.pin("https://hooks.example.com:8443/in/bound?k=v#frag")
    assert (target.host, target.port, target.path) == ("hooks.example.com", 8443, "/in/bound?k=v")


def test_internationalised_names_are_resolved_in_idna(dns):
    dns["xn--bcher-kva.example"] = [PUBLIC_V4]
    assert ssrf.pin("https://bücher.example/").host == "xn--bcher-kva.example"


def test_dns_rebinding_after_the_save_check_is_refused_at_connect_time(dns):
    answers = iter([[PUBLIC_V4], ["127.0.0.1"]])
    dns["rebind.example"] = lambda: next(answers)
    ssrf.check_url("https://rebind.example/hook")  # saved while it looked public
    result = sender.post(
        "https://rebind.example/hook", b"{}", {}, connect_timeout=1, read_timeout=1
    )
    assert result.status_code is None
    assert "non-public" in result.error
    assert not result.succeeded


def test_the_sender_resolves_once_and_connects_to_the_pinned_address(
    settings, fake_dns, local_server
):
    """Host (and SNI) keep the name; the TCP connection goes to the vetted address."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the test server is on loopback
    fake_dns["receiver.test"] = ["127.0.0.1"]
    result = sender.post(
        local_server.url("/in?x=1", host="receiver.test"),
        b'{"a":1}',
        {"webhook-id": "evt_1"},
        connect_timeout=1,
        read_timeout=1,
    )
    assert result.succeeded, result
    assert fake_dns.calls == ["receiver.test"]
    received = local_server.received[0]
    assert received.headers["host"] == f"receiver.test:{local_server.port}"
    assert received.path == "/in?x=1"
    assert received.body == b'{"a":1}'
    assert received.headers["webhook-id"] == "evt_1"
    assert received.headers["content-type"] == "application/json"


def test_development_allows_private_http_targets(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    ssrf.check_url("http://127.0.0.1:8000/hook")
    ssrf.check_url("http://[::1]:8000/hook")


def test_the_api_refuses_unsafe_urls_with_a_field_error(admin_client, dns):
    for url in ("https://127.0.0.1/", "https://2130706433/", "http://hooks.example.com/"):
        response = admin_client.post(
            "/api/v1/webhooks/", {"url": url, "events": ["scorecard.completed"]}, format="json"
        )
        assert response.status_code == 400, (url, response.content)
        assert [e["field"] for e in response.json()["errors"]] == ["url"]
    created = admin_client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.com/x", "events": ["scorecard.completed"]},
        format="json",
    )
    assert created.status_code == 201
    webhook_id = created.json()["id"]
    changed = admin_client.patch(
        f"/api/v1/webhooks/{webhook_id}/", {"url": "https://loopback.example/"}, format="json"
    )
    assert changed.status_code == 400
