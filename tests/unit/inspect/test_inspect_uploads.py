import io
import zipfile

import pytest
from aigate.inspect.uploads import Limits, extract_text, is_text_like

SECRET = "card 4111 1111 1111 1111"


def _pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, built by hand (correct xref offsets)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _docx(text: str) -> bytes:
    half = len(text) // 2  # Word splits runs anywhere: the text must be joined back
    body = (
        f"<w:document><w:body><w:p><w:r><w:t>{text[:half]}</w:t></w:r>"
        f'<w:r><w:t xml:space="preserve">{text[half:]}</w:t></w:r></w:p></w:body></w:document>'
    )
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": body.encode()})


def _xlsx(text: str) -> bytes:
    return _zip(
        {
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": (
                f"<sst><si><t>{text}</t></si><si><t>x &amp; y</t></si></sst>".encode()
            ),
            "xl/worksheets/sheet1.xml": b"<worksheet><row><c><v>0</v></c></row></worksheet>",
        }
    )


def _pptx(text: str) -> bytes:
    return _zip(
        {
            "ppt/presentation.xml": b"<p/>",
            "ppt/slides/slide1.xml": (
                f"<p:sld><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>".encode()
            ),
        }
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", SECRET.encode()),
        ("report.pdf", _pdf(SECRET)),
        ("memo.docx", _docx(SECRET)),
        ("sheet.xlsx", _xlsx(SECRET)),
        ("deck.pptx", _pptx(SECRET)),
        ("bundle.zip", _zip({"a/readme.md": SECRET.encode()})),
        ("nested.zip", _zip({"inner.zip": _zip({"x.csv": SECRET.encode()})})),
    ],
)
def test_text_is_extracted_from_each_format(name, data):
    result = extract_text(data, name)
    assert any(SECRET in text for _, text in result.texts), result
    assert result.unscanned == []


@pytest.mark.parametrize(
    ("data", "limits", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n....", Limits(), "image"),
        (b"\x00\x01\x02\x03", Limits(), "binary content"),
        (b"%PDF-1.4 garbage", Limits(), "PDF"),
        (b"PK\x03\x04 not a zip", Limits(), "ZIP"),
        (_zip({"big.txt": b"a" * 5000}), Limits(max_member_bytes=1000), "bomb guard"),
        (_zip({f"{i}.txt": b"x" for i in range(5)}), Limits(max_members=2), "members after 2"),
        (
            _zip({"i.zip": _zip({"j.zip": _zip({"k.txt": b"x"})})}),
            Limits(max_depth=1),
            "nested deeper",
        ),
        (b"a" * 100, Limits(max_bytes=10), "over the 10 limit"),
        (b"a" * 100, Limits(max_text=10), "text cut"),
    ],
)
def test_what_cannot_be_read_is_unscanned_with_a_reason(data, limits, reason):
    result = extract_text(data, "upload", None, limits)
    assert any(reason in r for r in result.unscanned), result.unscanned


@pytest.mark.parametrize("stray", [b"\x00", b"\xff", b"\xed\xa0\x80", b"\xc3"])
def test_text_with_a_stray_byte_is_read_as_text(stray):
    result = extract_text(stray + f"notes: {SECRET}, café".encode() + stray, "paste")
    (text,) = [text for _, text in result.texts]
    assert SECRET in text and "café" in text
    assert result.unscanned == []


def test_a_binary_holding_a_readable_key_is_scanned_and_still_reported_unscanned():
    """An encrypted or compiled file is not read, and says so (`dlp.on_unscanned` decides);
    the readable strings inside it are scanned all the same."""
    data = bytes(range(256)) * 40 + f"key={SECRET}".encode() + bytes(range(256)) * 40
    result = extract_text(data, "tool.bin")
    assert any(SECRET in text for _, text in result.texts)
    assert result.unscanned == [
        "tool.bin: binary content (unknown type) only its readable runs were scanned"
    ]


def test_pdf_without_text_layer_is_unscanned():
    assert "no text layer" in extract_text(_pdf(""), "scan.pdf").unscanned[0]


@pytest.mark.parametrize(
    ("name", "ctype", "data", "text_like"),
    [
        ("a.py", None, b"\x00", True),
        (None, "application/json", b"{}", True),
        (None, None, "héllo".encode(), True),
        (None, None, b"\x00\x01", False),
        (None, "application/octet-stream", b"\xff\xfe", False),
    ],
)
def test_text_like_by_type_extension_or_sniffing(name, ctype, data, text_like):
    assert is_text_like(name, ctype, data) is text_like
