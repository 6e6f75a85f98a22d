"""Which format and text encoding a file is in, from its bytes rather than its name.

Analysts' files arrive renamed, re-saved by spreadsheets and zipped, so the name is
only a hint: the container is told by its magic bytes (zip, Parquet, Excel), the
encoding by a byte-level check, and the format by the header row and the shape of
the first line.

Encodings (no third-party detector: the cases we must get right are few and a
detector's guess on a short Arabic sample is less predictable than these rules):

| bytes seen | encoding |
|---|---|
| UTF-8 BOM ``EF BB BF`` | ``utf-8-sig`` |
| UTF-16 BOM ``FF FE`` / ``FE FF`` | ``utf-16`` |
| no BOM, NUL in every other byte | ``utf-16-le`` / ``utf-16-be`` |
| other NUL bytes or control characters | refused: not a text file |
| decodes as UTF-8 | ``utf-8`` |
| mostly UTF-8, with a few bytes that are not | refused: the file mixes encodings |
| high bytes mostly in runs (Arabic words), or bytes cp1252 lacks | ``cp1256`` (Windows Arabic) |
| high bytes mostly alone among ASCII letters (é, ’) | ``cp1252`` (Windows Western) |

A file that mixes encodings (a UTF-8 export with one row pasted from a Windows program)
is refused naming the byte offset and line of the first byte that is not UTF-8: read as
Windows-Arabic, which has a letter for every byte, it would import whole as mojibake.

The head of the file and a few windows spread through it are checked, so a UTF-8
file whose first accented letter comes late is still told from a Windows one. A
decoding error later in the file stops the import with the byte offset (the store is
not touched), and ``encoding=`` overrides the guess.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import _UNREADABLE_ZIP, CountingReader, SourceError, unreadable_zip

HEAD_BYTES = 256 * 1024
WINDOW_BYTES = 64 * 1024
WINDOWS = 8

_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
# Bytes that Windows-1252 leaves undefined; Windows-1256 uses every byte.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class MixedEncoding(SourceError):
    """Mostly UTF-8 with bytes that are not: no single encoding reads the file right."""


GDELT_WIDTHS = {61: "GDELT 2.0 events (61 columns)", 58: "GDELT 1.0 events (58 columns)"}
GDELT_WIDTHS[57] = "GDELT 1.0 historical backfile (57 columns, no SOURCEURL)"


@dataclass(frozen=True)
class Detected:
    """What a file is: enough for a reader to open it and for the page to say so."""

    format: str  # native | acled | ucdp | gdelt
    container: str  # csv | json | jsonl | geojson | parquet | xlsx
    encoding: str | None  # None for Parquet
    layout: str  # in words, for the page and the CLI
    delimiter: str = ","
    member: str | None = None  # the file inside a .zip
    size: int = 0  # bytes the reader will consume (uncompressed for a zip member)
    header: tuple[str, ...] = ()
    has_header: bool = True

    def describe(self) -> str:
        where = f" in zip member {self.member}" if self.member else ""
        enc = f", {self.encoding}" if self.encoding else ""
        return f"{self.layout}{where}{enc}"


def _is_xlsx(names: list[str]) -> bool:
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _workbook_size(path: Path) -> int | None:
    """Bytes an Excel workbook unpacks to (the import's size limit applies to them, so a
    zip bomb named .xlsx is refused before it is opened), or None if it is no workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            if not _is_xlsx(archive.namelist()):
                return None
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return None


def zip_member(path: Path) -> zipfile.ZipInfo:
    """The one data file inside a zip (GDELT ships one CSV per zip)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not info.filename.rsplit("/", 1)[-1].startswith(".")
            ]
    except zipfile.BadZipFile as exc:
        raise SourceError(f"the file looks like a zip archive but cannot be opened: {exc}") from exc
    if len(members) != 1:
        listed = ", ".join(m.filename for m in members[:5]) or "nothing"
        raise SourceError(
            f"the zip holds {len(members)} files ({listed}); unpack the one to import"
        )
    return members[0]


def open_binary(path: Path, detected: Detected) -> CountingReader:
    """The file's bytes (or its zip member's), counted as they are read."""
    if detected.member:
        archive = zipfile.ZipFile(path)
        try:
            raw = archive.open(detected.member)
        except _UNREADABLE_ZIP as exc:
            archive.close()
            raise SourceError(unreadable_zip(exc)) from exc
        except Exception:
            archive.close()
            raise
        return CountingReader(raw, also_close=(archive,))
    return CountingReader(open(path, "rb"))  # noqa: SIM115 - closed by the reader that owns it


def open_text(path: Path, detected: Detected) -> tuple[io.TextIOWrapper, CountingReader]:
    """A text stream in the detected encoding (newline='' as the csv module needs)."""
    counter = open_binary(path, detected)
    buffered = io.BufferedReader(counter, buffer_size=1 << 20)
    return io.TextIOWrapper(buffered, encoding=detected.encoding, newline=""), counter


def _decodes_as_utf8(data: bytes, *, cut_start: bool, cut_end: bool) -> bool:
    if cut_start:
        # A window may start inside a character: skip continuation bytes.
        i = 0
        while i < 4 and i < len(data) and 0x80 <= data[i] <= 0xBF:
            i += 1
        data = data[i:]
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data, final=not cut_end)
    except UnicodeDecodeError:
        return False
    return True


def _single_byte(samples: list[bytes]) -> str:
    """Windows-1256 (Arabic) or Windows-1252 (Western European), from how high bytes sit.

    Arabic words are runs of high bytes separated by ASCII spaces and punctuation;
    accented Latin letters and curly quotes sit alone between ASCII letters.
    """
    data = b"".join(samples)
    if any(b in _CP1252_UNDEFINED for b in data):
        return "cp1256"
    high = in_runs = 0
    for match in _HIGH_RUN.finditer(data):
        n = match.end() - match.start()
        high += n
        if n >= 2:
            in_runs += n
    if high and in_runs / high > 0.5:
        return "cp1256"
    return "cp1252"


def detect_encoding(samples: list[bytes], *, whole: bool = False) -> str:
    """The encoding of a file from its head (``samples[0]``) and windows further in.

    ``whole`` says the head is the entire file (its last character is not cut off).
    """
    head = samples[0]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    probe = head[:8192]
    if b"\x00" in probe:
        half = max(1, len(probe) // 2)
        even, odd = probe[0::2].count(0), probe[1::2].count(0)
        if odd > 0.3 * half and even < 0.02 * half:
            return "utf-16-le"
        if even > 0.3 * half and odd < 0.02 * half:
            return "utf-16-be"
        raise SourceError("this is not a text file (it contains NUL bytes); nothing was imported")
    controls = len(_CONTROL.findall(probe))
    if controls > max(2, len(probe) // 200):
        raise SourceError(
            "this is not a text file (it is full of control characters); nothing was imported"
        )
    with_high = [s for s in samples if any(b >= 0x80 for b in s)]
    if not with_high:
        return "utf-8"
    if all(
        _decodes_as_utf8(s, cut_start=i > 0, cut_end=not (whole and i == 0))
        for i, s in enumerate(samples)
        if s in with_high
    ):
        return "utf-8"
    if _mostly_utf8(with_high):
        raise MixedEncoding("the file is mostly UTF-8 but some bytes are not")
    return _single_byte(with_high)


def _mostly_utf8(samples: list[bytes]) -> bool:
    """Whether at least two thirds of the high bytes form UTF-8 sequences. Windows-1252
    text rarely puts two high bytes side by side, and Windows-1256 Arabic forms a UTF-8
    pair only where a letter meets a Persian letter or punctuation: well under half."""
    data = b"".join(samples)
    high = sum(len(m[0]) for m in _HIGH_RUN.finditer(data))
    in_sequences = sum(len(m[0]) for m in _UTF8_SEQUENCE.finditer(data))
    return in_sequences >= 2 * (high - in_sequences)


def first_bad_utf8(handle) -> tuple[int, int, int] | None:
    """(byte offset, line, byte) of the first byte of a binary stream that is not UTF-8,
    or None; read in blocks, so a file of any size is scanned in bounded memory."""
    base, lines, carry = 0, 1, b""
    while True:
        block = handle.read(1 << 20)
        final = not block
        data = carry + block
        try:
            _, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            bad = exc.start
            return base + bad, lines + data.count(b"\n", 0, bad), data[bad]
        lines += data.count(b"\n", 0, used)
        base += used
        carry = data[used:]
        if final:
            return None


def not_utf8_message(path: Path, member: str | None = None) -> str | None:
    """Where a file stops being UTF-8, in words, or None if it is UTF-8 throughout."""
    try:
        if member:
            with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
                found = first_bad_utf8(handle)
        else:
            with open(path, "rb") as handle:
                found = first_bad_utf8(handle)
    except (OSError, *_UNREADABLE_ZIP):
        return None
    if found is None:
        return None
    offset, line, byte = found
    return (
        f"byte {offset:,} (line {line:,}) is 0x{byte:02X}, which is not UTF-8 although the "
        "text before it is"
    )


def decode_failure(path: Path, detected: Detected, near: int) -> SourceError:
    """The error for a file that stopped decoding part way: the exact byte and line for
    UTF-8, where the first bad byte can be found again; else how far reading had got."""
    where = None
    if detected.encoding in ("utf-8", "utf-8-sig"):
        where = not_utf8_message(path, detected.member)
    where = where or f"it does not decode near byte {near:,}"
    return SourceError(
        f"the file is not valid {detected.encoding}: {where}. It mixes encodings or the guess "
        "was wrong; re-save it as UTF-8, or name the encoding (import --encoding). Nothing "
        "was imported"
    )


def check_encoding(encoding: str) -> None:
    """Refuse a name that is no text encoding: rot13, hex and base64 are codecs Python
    knows, but they do not turn bytes into text."""
    try:
        b"event_id".decode(encoding)
    except (LookupError, UnicodeError, TypeError, ValueError) as exc:
        raise SourceError(
            f"unknown text encoding {encoding[:40]!r}; name one such as utf-8, cp1256 "
            "(Windows Arabic), cp1252 (Windows Western) or utf-16"
        ) from exc


def _samples(path: Path) -> tuple[list[bytes], bool]:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        samples = [head]
        if size > HEAD_BYTES:
            step = (size - HEAD_BYTES) // WINDOWS
            for k in range(1, WINDOWS + 1):
                handle.seek(min(size - WINDOW_BYTES, HEAD_BYTES + k * step - WINDOW_BYTES))
                samples.append(handle.read(WINDOW_BYTES))
    return samples, size <= HEAD_BYTES


def _member_samples(path: Path, member: zipfile.ZipInfo) -> tuple[list[bytes], bool]:
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
            head = handle.read(HEAD_BYTES)
    except _UNREADABLE_ZIP as exc:
        raise SourceError(unreadable_zip(exc)) from exc
    return [head], member.file_size <= HEAD_BYTES


def _first_record(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error:
        return []


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_format(names: set[str]) -> tuple[str, str] | None:
    if "event_id_cnty" in names:
        if "gwno" in names or "ally_actor_1" in names:
            return "acled", "ACLED export, pre-2017 upper-case layout"
        if "data_id" in names or "iso3" in names:
            return "acled", "ACLED export, 2019-2022 layout (data_id, iso3)"
        return "acled", "ACLED export, current layout"
    if {"type_of_violence", "side_a", "side_b", "best"} <= names:
        if "relid" in names:
            return "ucdp", "UCDP GED (49-column layout)"
        return "ucdp", "UCDP GED, HDX per-country layout"
    if "globaleventid" in names:
        return "gdelt", "GDELT events with a header row"
    if "event_id" in names and "event_date" in names:
        return "native", "native records (CSV)"
    return None


def _gdelt_width(first_line: str) -> int | None:
    fields = first_line.rstrip("\r\n").split("\t")
    if (
        len(fields) in GDELT_WIDTHS
        and fields[0].strip().isdigit()
        and re.fullmatch(r"\d{8}", fields[1].strip())
    ):
        return len(fields)
    return None


def detect(path: Path, fmt: str = "auto", encoding: str | None = None) -> Detected:
    """Tell the format, layout and encoding of ``path``; :class:`SourceError` if unreadable.

    ``fmt`` other than "auto" overrides the format found in the header (the reader then
    says which of its columns are missing), ``encoding`` overrides the encoding guess.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise SourceError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if size == 0:
        raise SourceError(f"{path.name} is empty")
    if fmt not in ("auto", "native", "acled", "ucdp", "gdelt"):
        raise SourceError(f"unknown format {fmt!r}")

    if magic.startswith(_PARQUET_MAGIC):
        if fmt not in ("auto", "native"):
            raise SourceError(f"a Parquet file can only be read as native records, not {fmt}")
        return Detected("native", "parquet", None, "native records (Parquet)", size=size)
    if magic.startswith(_GZIP_MAGIC):
        raise SourceError("this is a gzip-compressed file: unpack it first (or zip it)")

    member = None
    if magic.startswith(_ZIP_MAGIC) and (unpacked := _workbook_size(path)) is not None:
        if fmt not in ("auto", "native"):
            raise SourceError(
                f"an Excel workbook can only be read as native records, not {fmt}; save an "
                f"{fmt.upper()} sheet as CSV and import that"
            )
        return Detected(
            "native", "xlsx", None, "native records (Excel workbook, first sheet)", size=unpacked
        )
    if magic.startswith(_ZIP_MAGIC):
        info = zip_member(path)
        member, size = info.filename, info.file_size
        samples, whole = _member_samples(path, info)
        if samples[0].startswith(_PARQUET_MAGIC):
            raise SourceError("unpack the Parquet file from the zip before importing it")
    else:
        samples, whole = _samples(path)

    if encoding:
        check_encoding(encoding)
    else:
        try:
            encoding = detect_encoding(samples, whole=whole)
        except MixedEncoding:
            where = not_utf8_message(path, member)
            if where is None:  # the bytes that looked wrong were cut windows
                encoding = "utf-8"
            else:
                raise SourceError(
                    f"{path.name} mixes text encodings: {where}. Re-save the file as UTF-8, "
                    "or name its encoding (import --encoding on the command line); "
                    "nothing was imported"
                ) from None
    text = samples[0].decode(encoding, errors="replace")
    if not whole:
        text = text[: text.rfind("\n") + 1] or text
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise SourceError(f"{path.name} holds no records")

    kw = dict(encoding=encoding, member=member, size=size)
    first_line = stripped.splitlines()[0]
    if stripped[0] in "[{":
        if fmt not in ("auto", "native"):
            raise SourceError(f"a JSON file can only be read as native records, not {fmt}")
        if stripped[0] == "[":
            return Detected("native", "json", layout="native records (JSON array)", **kw)
        if re.search(r'"type"\s*:\s*"FeatureCollection"', stripped[:4096]):
            return Detected("native", "geojson", layout="native records (GeoJSON)", **kw)
        return Detected("native", "jsonl", layout="native records (JSON lines)", **kw)

    width = _gdelt_width(first_line)
    if width and fmt in ("auto", "gdelt"):
        return Detected(
            "gdelt", "csv", layout=GDELT_WIDTHS[width], delimiter="\t", has_header=False, **kw
        )

    delimiter = _delimiter(first_line)
    header = tuple(h.strip().lstrip("\ufeff") for h in _first_record(text, delimiter))
    names = {h.lower() for h in header if h}
    found = _header_format(names)
    if fmt == "auto":
        if found is None:
            shown = ", ".join(h for h in header[:6] if h) or first_line[:60]
            raise SourceError(
                f"cannot tell the format of {path.name} from its first row ({shown}); "
                "expected a native, ACLED, UCDP or GDELT layout (see docs/crosswalks.md), "
                "or choose the format by hand"
            )
        fmt, layout = found
    else:
        layout = found[1] if found and found[0] == fmt else f"{fmt} (chosen by hand)"
        if fmt == "gdelt" and (not found or found[0] != "gdelt"):
            raise SourceError(
                "this does not look like a GDELT events file: GDELT rows are tab-separated with "
                f"57, 58 or 61 fields, the first row here has {len(first_line.split(chr(9)))}"
            )
    return Detected(fmt, "csv", layout=layout, delimiter=delimiter, header=header, **kw)
