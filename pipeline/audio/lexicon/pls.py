"""W3C Pronunciation Lexicon Specification 1.0 files (``<code>.pls``, ``lexicon.pls``).

Parsed with the standard library's expat (what ElementTree uses), so that every lexeme
keeps its line number for messages; document type declarations and entities are refused,
as defusedxml does. Only ``<alias>`` pronunciations are used (espeak-ng is given text); a
lexeme with ``<phoneme>`` only is an error.
"""

from __future__ import annotations

import xml.parsers.expat
from pathlib import Path

from .model import Lexeme, LexiconError, read_bounded

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_IGNORED = {"meta", "metadata", "example"}


class _PlsReader:
    """Collects lexemes from expat's events."""

    def __init__(self, path: Path, code: str, parser: xml.parsers.expat.XMLParserType) -> None:
        self.path, self.code, self.parser = path, code, parser
        self.stack: list[str] = []
        self.lexemes: list[Lexeme] = []
        self.graphemes: list[str] = []
        self.aliases: list[tuple[bool, str]] = []
        self.phonemes = 0
        self.text: list[str] = []
        self.lexeme_line = 0

    def fail(self, message: str, line: int | None = None) -> LexiconError:
        return LexiconError(message, self.path, line or self.parser.CurrentLineNumber, self.code)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace != PLS_NAMESPACE:
            raise self.fail(f"<{local}> is not a PLS element (namespace {PLS_NAMESPACE})")
        parent = self.stack[-1] if self.stack else None
        self.stack.append(local)
        if parent is None:
            if local != "lexicon":
                raise self.fail(f"the root element must be <lexicon>, not <{local}>")
            self.check_language(attrs.get(f"{XML_NAMESPACE} lang", ""))
        elif local == "lexeme" and parent == "lexicon":
            self.graphemes, self.aliases, self.phonemes = [], [], 0
            self.lexeme_line = self.parser.CurrentLineNumber
        elif local in {"grapheme", "alias", "phoneme"} and parent == "lexeme":
            self.text = []
            if local == "alias":
                self.aliases.append((attrs.get("prefer") == "true", ""))
        elif local not in _IGNORED and "example" not in self.stack[:-1]:
            raise self.fail(f"unexpected <{local}> in <{parent}>")

    def check_language(self, lang: str) -> None:
        if not lang:
            raise self.fail('<lexicon> needs xml:lang (the language it is for, "es")')
        want = self.code.split("_", 1)[0].lower()
        if lang.replace("_", "-").split("-", 1)[0].lower() != want:
            raise self.fail(f"this lexicon is for xml:lang={lang!r}, not for {self.code}")

    def end(self, name: str) -> None:
        local = self.stack.pop()
        words = " ".join("".join(self.text).split())
        if local == "grapheme":
            if not words:
                raise self.fail("empty <grapheme>")
            self.graphemes.append(words)
        elif local == "alias":
            prefer, _ = self.aliases.pop()
            self.aliases.append((prefer, words))
        elif local == "phoneme":
            self.phonemes += 1
        elif local == "lexeme":
            self.finish_lexeme()

    def finish_lexeme(self) -> None:
        line = self.lexeme_line
        if not self.graphemes:
            raise self.fail("a <lexeme> needs at least one <grapheme>", line)
        if not self.aliases:
            what = "only <phoneme>" if self.phonemes else "no <alias>"
            raise self.fail(
                f"the lexeme for {self.graphemes[0]!r} has {what}: carepack speaks the "
                "<alias> (the words to say), not phoneme strings",
                line,
            )
        preferred = [alias for prefer, alias in self.aliases if prefer]
        alias = (preferred or [alias for _, alias in self.aliases])[0]
        self.lexemes.append(Lexeme(tuple(self.graphemes), alias, self.path, line))

    def chars(self, data: str) -> None:
        if self.stack and self.stack[-1] in {"grapheme", "alias", "phoneme"}:
            self.text.append(data)


def read_pls(path: Path, code: str) -> list[Lexeme]:
    """The lexemes of a PLS file; :class:`LexiconError` (file, line, locale) if malformed."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    reader = _PlsReader(path, code, parser)

    def refuse(*_: object) -> None:
        raise reader.fail("document type declarations and entities are not allowed")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    data = read_bounded(path, code)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.ErrorString(error.code)
        raise LexiconError(f"not well-formed XML: {message}", path, error.lineno, code) from None
    return reader.lexemes
