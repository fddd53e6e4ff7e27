import codecs

import pytest
from readmark.library.decoding import binary_reason, decode, decode_head

TEXT = "Caf\u00e9 notes \u2014 \u201cquoted\u201d\nsecond line\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_unicode_files_decode_without_bom_or_warning(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.warnings == []


def test_windows_1252_is_read_with_a_warning() -> None:
    decoded = decode("\u201csmart quotes\u201d and caf\u00e9".encode("cp1252"))
    assert decoded.text == "\u201csmart quotes\u201d and caf\u00e9"
    assert decoded.encoding == "cp1252"
    assert decoded.warnings == ["not valid UTF-8; read as Windows-1252"]


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1() -> None:
    decoded = decode(b"caf\xe9 \x81")
    assert decoded.text == "caf\u00e9 \x81"
    assert decoded.warnings == ["not valid UTF-8; read as Latin-1"]


def test_windows_and_old_mac_line_ends_become_newlines() -> None:
    assert decode(b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"


def test_truncated_utf16_is_replaced_and_warned() -> None:
    decoded = decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"c")
    assert decoded.text == "ab\ufffd"
    assert decoded.warnings == [
        "not valid UTF-16-LE (byte 6); unreadable characters are shown as \ufffd"
    ]


def test_head_cut_inside_a_character_still_reads_as_utf8() -> None:
    data = "r\u00e9sum\u00e9".encode()
    assert decode_head(data[:-1]) == "r\u00e9sum"
    assert decode_head(codecs.BOM_UTF8 + b"hi") == "hi"


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        ("photo.png", b"", "image"),
        ("talk.MP3", b"", "audio file"),
        ("clip.mkv", b"", "video file"),
        ("bundle.zip", b"", "archive"),
        ("paper.pdf", b"", "PDF document"),
        ("renamed", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        ("renamed.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        ("renamed.md", b"GIF89a\x01\x00", "GIF image"),
        ("notes.txt", b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        ("notes.md", b"PK\x03\x04\x14\x00", "ZIP archive"),
        ("Icon", b"\x00\x00\x00\x01Bud1\x00\x00", "macOS .DS_Store file"),
        ("data", b"abc\x00def", "binary file"),
    ],
)
def test_binary_files_are_recognised(name: str, head: bytes, reason: str) -> None:
    assert binary_reason(name, head) == reason


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("notes.md", b"# Notes\n"),
        ("README", b"plain text"),
        ("talk.srt", codecs.BOM_UTF16_LE + "1\n00:00:01,000".encode("utf-16-le")),
        ("empty.txt", b""),
    ],
)
def test_text_files_are_not_binary(name: str, head: bytes) -> None:
    assert binary_reason(name, head) is None
