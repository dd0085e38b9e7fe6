"""The phoneme lint: does the configured voice speak every utterance in the locale's language?

espeak-ng silently switches to another language's rules for words it does not know as
words of the voice's language, and marks the switch in its phoneme output:
``p;,It;s'ot (en),EmdZ'i:(ru)`` is Russian "пятьсот", then "mg" spelled in English. A
listener who knows only Russian loses those words; a voice that switches for most of a
segment (``sit/cmn`` reads Chinese characters as English-spelled pinyin) loses them all.

For every utterance of a spoken script (exactly the text that is synthesized) the lint
takes the voice's phonemes (:mod:`pipeline.audio.phonemes`, in process); for an utterance with a
switch it takes each of its words alone to name the words concerned. A finding names the
locale, the file (the PO file for a translation, the master text for the source), the
line (the PO entry's, or the block's in the master text) and the words:

- a **warning** for a borrowed name or a few words (``American Cancer Society``);
- an **error** when more than half of a segment's words, and at least
  :data:`MIN_FOREIGN_WORDS` of them, are spoken as another language: the locale's audio
  is not built (:func:`audio_blocked`);
- an **error** for a voice that is missing, speaks another language, or, when its errors
  all go away with the locale's default voice (:func:`pipeline.audio.voices.default_voice`),
  is the wrong voice for the language: one finding naming the voice to use instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale, UnknownLocaleError

from ..catalogs.catalog import context_for
from ..catalogs.translate import TranslatedBlock, TranslatedDocument
from ..checks.finding import Finding, Severity
from ..config import CONFIG_NAME
from .phonemes import phonemes, voices
from .script import Script, spoken_text
from .utterance import Utterance, speech_units
from .voices import default_voice

LANGUAGE_CHECK = "speech-language"
"""Check name of findings about words spoken as another language."""
VOICE_CHECK = "speech-voice"
"""Check name of findings about the configured voice."""
LEXICON_CHECK = "speech-lexicon"
"""Check name of findings about a lexicon entry that changes the disclaimer's words
(:mod:`pipeline.checks.spoken_disclaimer`)."""
SPEECH_CHECKS = frozenset({LANGUAGE_CHECK, VOICE_CHECK, LEXICON_CHECK})
MOSTLY = 0.5
"""A segment with a larger share of its words spoken as another language is an error."""
MIN_FOREIGN_WORDS = 4
"""...provided that many words are: up to three (a name) stay a warning."""

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+(?:[-'’.][^\W{_CJK}]+)*")
_MARK = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9]+)*)\)")
_SHOWN = 60


@dataclass(frozen=True)
class Switch:
    """Consecutive words of an utterance that the voice speaks as another language."""

    words: str
    """The words, as in the utterance."""
    language: str
    """espeak-ng's code of the language they are spoken as (``en``)."""


@dataclass(frozen=True)
class Segment:
    """The lint's view of one utterance."""

    text: str
    """The utterance's text."""
    phonemes: str
    """espeak-ng's phonemes for it."""
    switches: tuple[Switch, ...]
    """The words spoken as another language."""
    foreign: int
    """How many words (CJK characters counting one each) are spoken as another language."""
    words: int
    """How many words there are in all."""

    @property
    def share(self) -> float:
        """The share of words spoken as another language."""
        return self.foreign / max(1, self.words)

    @property
    def severity(self) -> Severity | None:
        """``error`` when mostly another language, ``warning`` for a switch, else ``None``."""
        if self.share > MOSTLY and self.foreign >= MIN_FOREIGN_WORDS:
            return "error"
        return "warning" if self.switches or _MARK.search(self.phonemes) else None

    @property
    def languages(self) -> list[str]:
        """The languages switched to, in order of appearance."""
        found = [s.language for s in self.switches] or _MARK.findall(self.phonemes)[:1]
        return list(dict.fromkeys(found))


def analyse(texts: Sequence[str], voice: str) -> list[Segment]:
    """Each text's phonemes with ``voice``, and the words it speaks as another language.

    Two batches of library calls: one for the texts, one for each distinct word of the
    texts that have a switch.
    """
    spoken = phonemes(texts, voice)
    flagged = [index for index, p in enumerate(spoken) if _MARK.search(p)]
    tokens = {i: list(_TOKEN.finditer(texts[i])) for i in flagged}
    distinct = sorted({m[0] for matches in tokens.values() for m in matches})
    switched = {
        word: marks[0]
        for word, p in zip(distinct, phonemes(distinct, voice), strict=True)
        if (marks := _MARK.findall(p))
    }
    segments = []
    for index, (text, phones) in enumerate(zip(texts, spoken, strict=True)):
        words = speech_units(text)
        switches: list[Switch] = []
        foreign = 0
        run: list[re.Match[str]] = []
        for match in [*tokens.get(index, []), None]:
            if match is not None and match[0] in switched:
                run.append(match)
                foreign += speech_units(match[0])
                continue
            if run:
                words_run = text[run[0].start() : run[-1].end()]
                switches.append(Switch(words_run, switched[run[0][0]]))
                run = []
        segments.append(Segment(text, phones, tuple(switches), foreign, words))
    return segments


def language_name(code: str) -> str:
    """An espeak-ng language code's English name (``en`` → ``English``), or the code."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def _base(voice: str) -> str:
    return voice.split("+", 1)[0].lower()


def check_voice(
    code: str, voice: str | None, config_path: Path = Path(CONFIG_NAME)
) -> Finding | None:
    """An error finding if ``voice`` is missing, unknown to espeak-ng, or speaks another
    language than ``code``; ``None`` if it may speak the locale.

    The one voice check: the speech lint reports it, and the audio raises it before
    any synthesis (:func:`pipeline.audio.synthesis.require_voice`)."""
    default = default_voice(code)
    hint = f"; the default voice for {code} is {default!r}" if default else ""
    language = code.split("_", 1)[0].lower()
    if not voice:
        message = f"no espeak-ng voice is configured for {code}: set [speech.voices] {code}"
        return _voice_finding(code, config_path, message + hint)
    known = voices()
    if _base(voice) not in known:
        similar = sorted(v for v, langs in known.items() if _primary(langs) & {language})
        also = f"; voices for {language!r}: {', '.join(similar)}" if similar else ""
        message = f"espeak-ng has no voice {voice!r}{hint}{also}"
        return _voice_finding(code, config_path, message)
    spoken = _primary(known[_base(voice)])
    if language not in spoken:
        message = (
            f"the voice {voice!r} speaks {', '.join(sorted(spoken))}, "
            f"not {language_name(language)} ({code}){hint}"
        )
        return _voice_finding(code, config_path, message)
    return None


def _primary(languages: Sequence[str]) -> set[str]:
    return {lang.split("-", 1)[0] for lang in languages}


def _voice_finding(code: str, path: Path, message: str, msgid: str = "") -> Finding:
    return Finding(code, path, None, msgid, None, VOICE_CHECK, "error", message)


def lint_script(
    script: Script,
    doc: TranslatedDocument,
    voice: str | None,
    po: polib.POFile | None = None,
    po_path: Path | None = None,
    config_path: Path = Path(CONFIG_NAME),
) -> list[Finding]:
    """Findings for every utterance of ``script`` (``doc`` in one locale) that ``voice``
    does not speak in the locale's language (see the module docstring).

    ``po`` and ``po_path`` are the locale's catalog of the document and its path as it
    should appear in messages (``None`` for the master text); ``config_path`` is named
    in findings about the voice.
    """
    code = script.locale
    problem = check_voice(code, voice, config_path)
    if problem is not None or voice is None:
        return [problem] if problem is not None else []
    utterances = [u for section in script.sections for u in section.utterances]
    segments = analyse([u.text for u in utterances], voice)
    wrong = _wrong_voice(code, voice, utterances, segments, doc, config_path)
    if wrong is not None:
        return [wrong]
    locate = _Locator(doc, po, po_path)
    return [
        locate.finding(utterance, segment, voice)
        for utterance, segment in zip(utterances, segments, strict=True)
        if segment.severity is not None
    ]


def _wrong_voice(
    code: str,
    voice: str,
    utterances: Sequence[Utterance],
    segments: Sequence[Segment],
    doc: TranslatedDocument,
    config_path: Path,
) -> Finding | None:
    """One finding if the errors all go away with the locale's default voice."""
    default = default_voice(code)
    errors = [i for i, s in enumerate(segments) if s.severity == "error"]
    if not errors or default is None or _base(default) == _base(voice):
        return None
    again = analyse([segments[i].text for i in errors], default)
    if any(s.severity == "error" for s in again):
        return None
    first = segments[errors[0]]
    languages = ", ".join(language_name(lang) for lang in first.languages)
    native = language_name(code)
    message = (
        f"the voice {voice!r} speaks {len(errors)} of {len(segments)} segments mostly as "
        f"{languages} (e.g. {_short(first.text)!r}); use {default!r}, the default voice for "
        f"{code}, which reads them as {native}: set [speech.voices] {code} = {default!r} "
        "in carepack.toml, or remove the entry"
    )
    block = {b.block.id: b for b in doc.blocks}.get(utterances[errors[0]].block)
    return _voice_finding(code, config_path, message, block.block.text if block else "")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class _Locator:
    """Where a segment's words are written: the PO entry, or the master text's block."""

    def __init__(
        self, doc: TranslatedDocument, po: polib.POFile | None, po_path: Path | None
    ) -> None:
        self.doc = doc
        self.source = doc.locale.code == doc.document.lang or po_path is None
        self.path = doc.document.path if self.source or po_path is None else po_path
        self.blocks = {b.block.id: b for b in doc.blocks}
        self.lines: dict[tuple[str | None, str], int | None] = {}
        if po is not None:
            self.lines = {(e.msgctxt, e.msgid): e.linenum for e in po if not e.obsolete}

    def block_of(self, utterance: Utterance, segment: Segment) -> TranslatedBlock | None:
        """The utterance's block or, for a table row, the cell holding the words."""
        block = self.blocks.get(utterance.block)
        if block is None or block.block.group is None or not segment.switches:
            return block
        words = re.compile(rf"(?<!\w){re.escape(segment.switches[0].words)}(?!\w)")
        cells = [b for b in self.doc.blocks if b.block.group == block.block.group]
        return next((b for b in cells if words.search(spoken_text(b.text))), block)

    def finding(self, utterance: Utterance, segment: Segment, voice: str) -> Finding:
        code = self.doc.locale.code
        block = self.block_of(utterance, segment)
        msgid = block.block.text if block else utterance.text
        context = context_for(block.block) if block else None
        if self.source:
            line: int | None = block.block.line if block else utterance.line
        else:
            line = self.lines.get((context, msgid))
        severity = segment.severity or "warning"
        return Finding(
            locale=code,
            path=self.path,
            line=line,
            msgid=msgid,
            msgctxt=context,
            check=LANGUAGE_CHECK,
            severity=severity,
            message=_message(segment, voice, code, block),
        )


def _message(segment: Segment, voice: str, code: str, block: TranslatedBlock | None) -> str:
    languages = ", ".join(language_name(lang) for lang in segment.languages)
    words = ", ".join(repr(s.words) for s in segment.switches) or (
        f"phonemes {_short(segment.phonemes)!r}"
    )
    untranslated = block is not None and not block.translated
    if segment.severity == "error":
        why = "it is not translated yet; " if untranslated else ""
        return (
            f"{round(segment.share * 100)}% of this segment is spoken as {languages} by the "
            f"voice {voice!r}: {words}; {why}the {code} audio is not built until it reads "
            f"as {language_name(code)}"
        )
    return (
        f"the voice {voice!r} speaks {words} as {languages}; fine for a borrowed name, "
        f"otherwise translate or respell it (an <alias> in locales/{code}/lexicon.pls)"
    )


def audio_blocked(findings: Sequence[Finding], locale: str | None = None) -> bool:
    """Whether the speech findings (of ``locale``, or of any) forbid building the audio."""
    return any(
        f.severity == "error"
        and f.check in SPEECH_CHECKS
        and (locale is None or f.locale == locale)
        for f in findings
    )
