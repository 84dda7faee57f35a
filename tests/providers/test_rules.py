"""Pure rules: cross-field validation, slugs, the CSV format and upload inspection."""

import hashlib
import io
import zipfile

import pytest

from providers import rules
from providers.import_format import COLUMNS, CsvFormatError, parse_csv
from providers.services.providers import slug_for_name, slug_from_name
from providers.uploads import UploadRejected, inspect_upload, sanitize_filename


def codes(violations):
    return {(v.field, v.code) for v in violations}


class TestProviderRules:
    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (
                {"service_models": ["mssp"], "soc_model": None},
                {("soc_model", "soc_model_required")},
            ),
            ({"service_models": ["mssp"], "soc_model": ""}, {("soc_model", "soc_model_required")}),
            ({"service_models": ["mssp"], "soc_model": "none"}, set()),
            ({"service_models": ["msp", "vciso"], "soc_model": None}, set()),
            (
                {"soc_model": "third_party", "third_party_soc_name": "  "},
                {("third_party_soc_name", "soc_name_required")},
            ),
            (
                {"soc_model": "hybrid", "third_party_soc_name": ""},
                {("third_party_soc_name", "soc_name_required")},
            ),
            ({"soc_model": "hybrid", "third_party_soc_name": "Blue SOC"}, set()),
            (
                {"soc_model": "own", "third_party_soc_name": "Blue SOC"},
                {("third_party_soc_name", "soc_name_not_allowed")},
            ),
            (
                {"soc_model": "none", "third_party_soc_name": "Blue SOC"},
                {("third_party_soc_name", "soc_name_not_allowed")},
            ),
            (
                {"soc_model": None, "third_party_soc_name": "Blue SOC"},
                {("third_party_soc_name", "soc_name_not_allowed")},
            ),
            (
                {"service_models": ["mssp"], "third_party_soc_name": "X"},
                {
                    ("soc_model", "soc_model_required"),
                    ("third_party_soc_name", "soc_name_not_allowed"),
                },
            ),
        ],
    )
    def test_soc_rules(self, data, expected):
        assert codes(rules.provider_violations(data)) == expected

    def test_violations_name_the_fields_that_decide_them(self):
        (violation,) = rules.provider_violations({"service_models": ["mssp"]})
        assert set(violation.involves) == {"service_models", "soc_model"}


class TestChildRules:
    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            ({"delivered_by": "partner", "partner_name": ""}, {"partner_name_required"}),
            ({"delivered_by": "partner", "partner_name": "EndpointCo"}, set()),
            ({"delivered_by": "self", "partner_name": "EndpointCo"}, {"partner_name_not_allowed"}),
            ({"delivered_by": "self", "partner_name": ""}, set()),
            ({"partner_name": ""}, set()),
        ],
    )
    def test_offering(self, data, expected):
        assert {v.code for v in rules.offering_violations(data)} == expected

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            ({"metric": "uptime", "unit": "percent", "target_value": 99.9}, set()),
            ({"metric": "uptime", "unit": "hours", "target_value": 1}, {"unit_mismatch"}),
            (
                {"metric": "time_to_resolve", "unit": "percent", "target_value": 5},
                {"unit_mismatch"},
            ),
            ({"metric": "patch_window", "unit": "days", "target_value": 14}, set()),
            ({"metric": "other", "unit": "percent", "target_value": 100.5}, {"max_value"}),
            ({"metric": "other", "unit": "days", "target_value": 400}, set()),
            (
                {"metric": "other", "unit": "days", "target_value": 1, "remedy_type": "escalation"},
                {"remedy_details_required"},
            ),
            (
                {
                    "metric": "other",
                    "unit": "days",
                    "target_value": 1,
                    "remedy_type": "escalation",
                    "remedy_details": "To the account director within a day.",
                },
                set(),
            ),
            (
                {"metric": "other", "unit": "days", "target_value": 1, "remedy_type": "none"},
                set(),
            ),
        ],
    )
    def test_sla(self, data, expected):
        assert {v.code for v in rules.sla_violations(data)} == expected

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            ({"verified": False, "verified_at": "2026-01-01"}, {"not_verified"}),
            ({"verified": True, "verified_at": "2026-01-01"}, set()),
            ({"contactable": True}, {"contact_required"}),
            ({"contactable": True, "contact_email": "  "}, {"contact_required"}),
            ({"contactable": True, "contact_phone": "+1 555 0100"}, set()),
            ({"contactable": False}, set()),
        ],
    )
    def test_reference(self, data, expected):
        assert {v.code for v in rules.reference_violations(data)} == expected


def test_dedupe_keeps_first_occurrence_order():
    assert rules.dedupe(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("soc2", True), ("short-list", True), ("Short", False), ("a--b", False), ("-a", False)],
)
def test_tags_are_lowercase_slugs(value, ok):
    assert rules.is_tag(value) is ok
    assert rules.is_tag("a" * 51) is False


class TestSlugs:
    def test_slug_from_name(self):
        assert slug_from_name("Northwind  Security, Inc.") == "northwind-security-inc"
        assert slug_from_name("a__b--c") == "a-b-c"
        assert slug_from_name("Émile & Co") == "emile-co"
        assert slug_from_name("中文") == ""

    def test_names_without_ascii_get_a_stable_hashed_slug(self):
        digest = hashlib.sha256("中文".encode()).hexdigest()[:10]
        assert slug_for_name("中文") == slug_for_name(" 中文 ") == f"provider-{digest}"


class TestCsvFormat:
    def test_rows_become_json_like_rows(self):
        rows = parse_csv(
            "\ufeffName,service_models,soc_model,tags,notes\n"
            'Acme,msp; mssp ;,own,a;b,"multi\nline, with comma"\n'
            "\n"
            "Beta,,,,\n"
        )
        assert [row.data for row in rows] == [
            {
                "name": "Acme",
                "service_models": ["msp", "mssp"],
                "soc_model": "own",
                "tags": ["a", "b"],
                "notes": "multi\nline, with comma",
            },
            {"name": "Beta", "service_models": [], "soc_model": None, "tags": [], "notes": ""},
        ]
        assert all(row.errors == [] for row in rows)

    def test_short_rows_are_padded_and_long_rows_flagged(self):
        short, long = parse_csv(b"name,headquarters\nAcme\nBeta,Ohio,extra\n")
        assert short.data == {"name": "Acme", "headquarters": ""}
        assert long.errors[0]["code"] == "too_many_cells"

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("", "header"),
            ("name,colour\nAcme,red\n", "Unknown columns: 'colour'"),
            ("name,name\nA,B\n", "twice"),
            ("website\nhttps://a.example\n", "'name' or a 'slug'"),
            (b"name\n\xff\xfe\n", "UTF-8"),
            ('name\n"unterminated\n', "malformed"),
        ],
    )
    def test_unusable_files_are_refused(self, content, message):
        with pytest.raises(CsvFormatError, match=message):
            parse_csv(content)

    def test_every_column_is_importable(self):
        assert {"name", "slug", "service_models", "soc_model", "tags"} <= set(COLUMNS)


def docx_bytes(inner="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


class TestUploadInspection:
    @pytest.mark.parametrize(
        ("name", "content", "content_type"),
        [
            ("report.pdf", PDF, "application/pdf"),
            ("shot.PNG", PNG, "image/png"),
            ("photo.jpeg", JPEG, "image/jpeg"),
            ("photo.jpg", JPEG, "image/jpeg"),
            ("notes.txt", "Plain text, naïve café\n".encode(), "text/plain"),
            ("data.csv", b"a,b\n1,2\n", "text/csv"),
            ("data.json", b'{"ok": true}', "application/json"),
            (
                "policy.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "sheet.xlsx",
                docx_bytes("xl/workbook.xml"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ],
    )
    def test_accepted_files(self, name, content, content_type):
        inspected = inspect_upload(io.BytesIO(content), name, max_bytes=10_000)
        assert inspected.content_type == content_type
        assert inspected.size == len(content)
        assert inspected.sha256 == hashlib.sha256(content).hexdigest()

    @pytest.mark.parametrize(
        ("name", "content", "status", "code"),
        [
            ("report.pdf", PNG, 415, "content_mismatch"),
            ("report.pdf", b"just some text", 415, "content_mismatch"),
            ("photo.png", PDF, 415, "content_mismatch"),
            ("notes.txt", PDF, 415, "content_mismatch"),
            ("notes.txt", b"\x00\x01binary\xff", 415, "content_mismatch"),
            ("data.json", b"{not json", 415, "content_mismatch"),
            ("policy.docx", docx_bytes("xl/workbook.xml"), 415, "content_mismatch"),
            ("archive.docx", b"PK\x03\x04 not really a zip", 415, "content_mismatch"),
            ("tool.exe", b"MZ\x90\x00", 415, "unsupported_file_type"),
            ("noextension", PDF, 415, "unsupported_file_type"),
            ("empty.pdf", b"", 400, "empty_file"),
            ("big.txt", b"x" * 1001, 413, "file_too_large"),
        ],
    )
    def test_refused_files(self, name, content, status, code):
        with pytest.raises(UploadRejected) as caught:
            inspect_upload(io.BytesIO(content), name, max_bytes=1000)
        assert (caught.value.status, caught.value.code) == (status, code)

    def test_text_split_across_chunks_is_still_text(self, monkeypatch):
        monkeypatch.setattr("providers.uploads.CHUNK_SIZE", 3)
        content = "ééé — ok".encode()
        assert inspect_upload(io.BytesIO(content), "a.txt", max_bytes=100).size == len(content)

    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("../../etc/passwd.pdf", "passwd.pdf"),
            ("C:\\Users\\me\\Report Q1.PDF", "Report Q1.pdf"),
            ("bad\x00name\n.txt", "badname_.txt"),
            ("<script>.png", "_script_.png"),
            ("...", "document"),
            ("", "document"),
            ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ],
    )
    def test_filenames_are_sanitised(self, raw, clean):
        assert sanitize_filename(raw) == clean
