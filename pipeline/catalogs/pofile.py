"""Reading and writing PO files (the format), apart from the catalog logic.

:func:`read_po` first has GNU ``msgfmt --check`` read the file (it stops where
polib would guess: an unclosed quote, a stray line, a bad escape, a duplicate),
then parses with polib; every problem becomes a :class:`PoFileError` with the
file, line and locale as fields; :func:`generate_po` makes the text, in
GNU gettext's layout and wrapping; only :func:`write_po` touches the disk, and
only when the content changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import polib

from ..errors import PoFileError
from ..fsutil import atomic_write_text
from .powrap import PAGE_WIDTH, wrap_comment, wrap_field

_POLIB_LINE = re.compile(r"\(line (\d+)\)")
NO_WRAP = 1 << 30
"""The page width of an entry flagged ``no-wrap``: split at newlines only, as GNU does."""
_DECLARED_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_MSGFMT_ENV = {"LC_ALL": "C.UTF-8", "LANGUAGE": "", "PATH": os.environ.get("PATH", "")}
_CHARSET_MISSING = ("Charset missing in header", "header field 'Content-Type' missing")


def msgfmt_problem(path: Path) -> tuple[int | None, str] | None:
    """What GNU ``msgfmt --check-header`` finds wrong with a PO file.

    ``None`` when msgfmt accepts it; otherwise the line and message of its first
    error (with where the first definition is, for a duplicate). A missing charset,
    which msgfmt only warns about, counts as an error: the reader could not know
    how to decode the file. Placeholders (msgfmt's ``--check-format``) are left to
    the entry checks (:mod:`pipeline.checks.findings`), which report every broken
    entry with its line instead of stopping at the first.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return None, "GNU gettext's msgfmt is not installed (apt-get install gettext)"
    command = [msgfmt, "-o", os.devnull, str(path)]
    if path.suffix != ".pot":
        command.insert(1, "--check-header")
    done = subprocess.run(command, capture_output=True, text=True, env=_MSGFMT_ENV, check=False)
    lines = [line for line in done.stderr.splitlines() if line.startswith(f"{path}:")]
    if done.returncode == 0:
        missing = [line for line in lines if any(m in line for m in _CHARSET_MISSING)]
        if not missing:
            return None
        return 1, "the header has no Content-Type with a charset (add 'charset=UTF-8')"
    errors = [line for line in lines if ": warning: " not in line]
    problems = [_location(line[len(str(path)) + 1 :]) for line in errors]
    problems = [problem for problem in problems if problem[1]]
    if not problems:
        return None, done.stderr.strip().splitlines()[
            -1
        ] if done.stderr.strip() else "msgfmt failed"
    line, message = problems[0]
    follow = problems[1] if len(problems) > 1 else None
    if message.endswith("...") and follow is not None and follow[1].startswith("..."):
        if message.startswith("duplicate message definition"):
            message = f"duplicate message definition (first defined at line {follow[0]})"
        else:  # "nplurals = 2..." (header) "...but some messages have 3 plural forms" (entry)
            rest = follow[1].lstrip(".").removeprefix("but ")
            line, message = follow[0], f"{message.rstrip('.')} (header, line {line}) but {rest}"
    elif message == "end-of-line within string" and line is not None:
        line -= 1  # GNU's lexer counts the newline that ended the string: the quote is above
    elif "syntax error" in message and len(problems) > 1 and problems[1][0] == line:
        message = problems[1][1]
    return line, f"msgfmt: {message}"


_accepted_folder: list[Path] = []
"""Where the digests of the texts msgfmt accepted are kept (set by the project)."""


def remember_accepted_in(folder: Path | None) -> None:
    """Keep the digest of every text msgfmt accepts in ``folder`` (the project's cache),
    so that a later command reads an unchanged catalog without running msgfmt again;
    ``None``: only within this process."""
    _accepted_folder[:] = [folder] if folder is not None else []


def _accepted_name(path: Path, text: str) -> str:
    """The name of the record that msgfmt accepted ``text`` (as a ``.po`` or ``.pot``):
    SHA-256 of the text, the kind of check, and which msgfmt (a new one checks again)."""
    from ..build.freshness import tool_identity

    digest = hashlib.sha256(f"{tool_identity('msgfmt')}\0{path.suffix}\0".encode())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _msgfmt_verdict(path: Path, name: str) -> tuple[int | None, str] | None:
    """:func:`msgfmt_problem` once per content of a file (``name``: its
    :func:`_accepted_name`, not the text, which the cache would keep): in a process (a
    build reads each catalog to compile it and again to check it) and, for a text msgfmt
    accepted, across commands (a record of that name in the project's cache). A text it
    refused is checked every time, so its message is always msgfmt's own."""
    folder = _accepted_folder[0] if _accepted_folder else None
    record = folder / name if folder is not None else None
    if record is not None and record.is_file():
        return None
    verdict = msgfmt_problem(path)
    if verdict is None and record is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            record.parent.mkdir(parents=True, exist_ok=True)
            record.touch()  # an empty file: its name is the whole record
    return verdict


def _location(rest: str) -> tuple[int | None, str]:
    """``LINE: message`` or ``LINE:COL: message`` → (line, message)."""
    match = re.match(r"(\d+)(?::\d+)?: (.*)", rest)
    if match is None:
        return None, rest.lstrip(": ").strip()
    return int(match.group(1)), match.group(2).strip()


def read_po(path: Path, locale: str | None = None) -> polib.POFile:
    """Read a PO or POT file, strictly. Raise :class:`PoFileError` naming file and line.

    GNU ``msgfmt`` reads it first: polib alone guesses at a broken line (it reads
    ``msgstr "Idiomas`` as ``Idioma``), so only what msgfmt accepts reaches it.
    """
    text = read_checked(path, locale)
    try:
        po = polib.pofile(text, encoding="utf-8", check_for_duplicates=False)
    except (OSError, ValueError) as error:
        match = _POLIB_LINE.search(str(error))
        where = int(match.group(1)) if match else None
        reason = _POLIB_LINE.sub("", str(error)).replace("in po file", "").strip()
        raise PoFileError(reason or "syntax error", path, where, locale) from None
    seen: dict[tuple[str | None, str], int | None] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in seen and not entry.obsolete:
            raise PoFileError(
                f"duplicate message {entry.msgid!r} (first defined at line {seen[key]})",
                path,
                entry.linenum,
                locale,
            )
        if not entry.obsolete:
            seen[key] = entry.linenum
    require_utf8(po, path, locale)
    return po


def read_checked(path: Path, locale: str | None = None) -> str:
    """The text of a PO or POT file in UTF-8 that GNU ``msgfmt`` accepts; else
    :class:`PoFileError` with msgfmt's message, the file and the line."""
    text = read_utf8(path, locale)
    problem = _msgfmt_verdict(path, _accepted_name(path, text))
    if problem is not None:
        raise PoFileError(problem[1], path, problem[0], locale)
    return text


def read_utf8(path: Path, locale: str | None = None) -> str:
    """The text of a catalog, or :class:`PoFileError` naming the first line that is not
    UTF-8 (and the converter, when the header declares another charset)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PoFileError("file not found", path, locale=locale) from None
    except UnicodeDecodeError as error:
        raw = path.read_bytes()
        line = raw[: error.start].count(b"\n") + 1
        declared = _DECLARED_CHARSET.search(raw)
        if declared and declared.group(1).lower().replace(b"-", b"") != b"utf8":
            charset = declared.group(1).decode("ascii")
            message = (
                f"the file is in {charset}, carepack reads UTF-8 PO files only "
                "(convert it with: msgconv -t UTF-8)"
            )
        else:
            message = f"not valid UTF-8 ({error.reason})"
        raise PoFileError(message, path, line, locale) from None


def require_utf8(po: polib.POFile, path: Path, locale: str | None = None) -> None:
    """Raise :class:`PoFileError` (line 1: the header) unless ``po`` declares UTF-8."""
    charset = po.metadata.get("Content-Type", "charset=UTF-8")
    if "charset=utf-8" not in charset.lower().replace(" ", ""):
        raise PoFileError(f"carepack reads UTF-8 PO files only, not {charset!r}", path, 1, locale)


def _entry_lines(entry: polib.POEntry) -> list[str]:
    lines: list[str] = []
    prefix = "#~ " if entry.obsolete else ""
    for comment in entry.tcomment.split("\n") if entry.tcomment else []:
        lines.append(f"# {comment}".rstrip() if comment else "#")
    if not entry.obsolete:
        for comment in entry.comment.split("\n") if entry.comment else []:
            lines.append(f"#. {comment}".rstrip())
        refs = [f"{name}:{line}" if line else name for name, line in entry.occurrences]
        lines.extend(wrap_comment("#:", refs))
    flags = sorted(entry.flags, key=lambda flag: (flag != "fuzzy", entry.flags.index(flag)))
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous = "#~| " if entry.obsolete else "#| "
    width = NO_WRAP if "no-wrap" in entry.flags else PAGE_WIDTH
    if entry.previous_msgctxt:
        lines.extend(wrap_field("msgctxt", entry.previous_msgctxt, previous, width))
    if entry.previous_msgid:
        lines.extend(wrap_field("msgid", entry.previous_msgid, previous, width))
    if entry.previous_msgid_plural:
        lines.extend(wrap_field("msgid_plural", entry.previous_msgid_plural, previous, width))
    if entry.msgctxt is not None:
        lines.extend(wrap_field("msgctxt", entry.msgctxt, prefix, width))
    lines.extend(wrap_field("msgid", entry.msgid, prefix, width))
    if entry.msgid_plural:
        lines.extend(wrap_field("msgid_plural", entry.msgid_plural, prefix, width))
        for index in sorted(entry.msgstr_plural):
            name = f"msgstr[{index}]"
            lines.extend(wrap_field(name, entry.msgstr_plural[index], prefix, width))
    else:
        lines.extend(wrap_field("msgstr", entry.msgstr, prefix, width))
    return lines


def generate_po(po: polib.POFile) -> str:
    """The text of a PO/POT file, laid out and wrapped as GNU gettext tools do."""
    out: list[str] = []
    for comment in po.header.split("\n") if po.header else []:
        out.append(f"# {comment}".rstrip() if comment else "#")
    if po.metadata_is_fuzzy:
        out.append("#, fuzzy")
    header = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    out.extend(wrap_field("msgid", ""))
    out.extend(wrap_field("msgstr", header))
    for entry in po:
        out.append("")
        out.extend(_entry_lines(entry))
    return "\n".join(out) + "\n"


def write_po(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` to ``path`` atomically; return whether the file changed."""
    return atomic_write_text(path, generate_po(po))


def new_po(metadata: dict[str, str], header: str = "", fuzzy_header: bool = False) -> polib.POFile:
    """An empty catalog with the given header fields (in that order)."""
    po = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    po.header = header
    po.metadata = dict(metadata)
    po.metadata_is_fuzzy = fuzzy_header
    return po
