"""Bytes to text: which encoding a file uses, and whether it is text at all."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

HEAD_SIZE = 8192
"""How much of a file the binary check and the format sniffing look at."""

BINARY_EXTENSIONS: dict[str, str] = {
    **dict.fromkeys(
        ".png .jpg .jpeg .gif .webp .bmp .tif .tiff .ico .heic .heif .avif .psd .svg".split(),
        "image",
    ),
    ".pdf": "PDF document",
    **dict.fromkeys(".mp3 .m4a .aac .wav .flac .ogg .oga .opus .wma .aiff".split(), "audio file"),
    **dict.fromkeys(".mp4 .m4v .mkv .mov .avi .webm .wmv .flv .mpg .mpeg".split(), "video file"),
    **dict.fromkeys(
        ".zip .gz .tgz .bz2 .xz .zst .7z .rar .tar .dmg .iso .epub .docx .xlsx .pptx".split(),
        "archive",
    ),
}
"""Extensions readmark never opens, with what to call them in a skip reason."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x00\x00\x00\x01Bud1", "macOS .DS_Store file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file and how it was read."""

    text: str
    """Decoded text with Windows and old Mac line ends turned into `\\n`."""
    encoding: str
    """Codec name: `utf-8`, `utf-16-le`, `cp1252`, `latin-1`, ..."""
    warnings: list[str] = field(default_factory=list)
    """What the user should know, e.g. that the file was not valid UTF-8."""


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `head` announces, if any."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def binary_reason(name: str, head: bytes) -> str | None:
    """Why a file is not text (`"PNG image"`, `"binary file"`), or None when it looks like text.

    `name` is checked for a binary extension first; `head` is the first `HEAD_SIZE` bytes.
    """
    suffix = _suffix(name)
    if suffix in BINARY_EXTENSIONS:
        return BINARY_EXTENSIONS[suffix]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # UTF-16/32 text is full of NUL bytes, so a BOM vouches for it.
    if b"\x00" in head[:HEAD_SIZE] and bom_encoding(head) is None:
        return "binary file"
    return None


def decode(data: bytes) -> Decoded:
    """Decode file bytes: UTF-8 (BOM or not), UTF-16/32 with a BOM, else Windows-1252 or Latin-1."""
    encoding = bom_encoding(data)
    warnings: list[str] = []
    if encoding is not None:
        bom_length = 4 if encoding.startswith("utf-32") else 3 if encoding == "utf-8" else 2
        body = data[bom_length:]
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            text = body.decode(encoding, errors="replace")
            warnings.append(
                f"not valid {_label(encoding)} (byte {error.start + bom_length}); "
                "unreadable characters are shown as \ufffd"
            )
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _single_byte(data)
            warnings.append(f"not valid UTF-8; read as {_label(encoding)}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, encoding=encoding, warnings=warnings)


def decode_head(data: bytes) -> str:
    """Decode the first bytes of a file for sniffing, tolerating a character cut at the end."""
    encoding = bom_encoding(data)
    if encoding is not None:
        return codecs.decode(data, encoding, errors="ignore").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the head's end is still UTF-8.
        if error.start >= len(data) - 3:
            return data[: error.start].decode("utf-8", errors="replace")
        return _single_byte(data)[0]


def _single_byte(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"


def _label(encoding: str) -> str:
    labels = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-8": "UTF-8"}
    return labels.get(encoding, encoding.upper())


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    slash = max(name.rfind("/"), name.rfind("\\"))
    return name[dot:].lower() if dot > slash + 1 else ""
