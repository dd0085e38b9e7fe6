"""Translated Document → spoken script: what the listener hears, section by section.

The script is plain data, separate from synthesis, so that it can be printed for
proofreading (``carepack script``) and rewritten before synthesis (number and unit
normalization, lexicons) without touching the audio code.

How a document is read aloud:

- every section starts with its heading, then a pause;
- paragraphs are said sentence by sentence (:mod:`pipeline.audio.sentences`), each
  sentence synthesized on its own so that its time in the audio is known exactly
  (the talking book highlights it as it is heard); the paragraph's pause follows the
  last one;
- inline Markdown is removed: link text is read, link targets are not;
- lists are read item by item (numbered lists with their numbers);
- a table is announced with its caption (``Table: {caption}``) and then read row by
  row, each cell with its column header as a label (``{label}: {value}.``);
- the disclaimer is read in full, as the last section, whatever its place on the page;
- every utterance is then normalized for speech with the locale's rules
  (:mod:`pipeline.audio.normalize`: phone and emergency numbers digit by digit, units and
  abbreviations in words, bare web addresses not read out), so that the printed script
  and the audio say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..catalogs.translate import (
    TranslatedBlock,
    TranslatedDocument,
    TranslatedSection,
    UiText,
    table_grid,
)
from ..errors import SpeechError
from ..source.document import Role
from ..source.markdown import plain_text
from .lexicon import SpeechRules, Substitution, speech_rules
from .normalize import normalize
from .sentences import split_sentences
from .utterance import Utterance, speech_units

HEADING_PAUSE = 900
"""Milliseconds of silence after a heading."""
PARAGRAPH_PAUSE = 600
"""Milliseconds of silence after a paragraph."""
ITEM_PAUSE = 400
"""Milliseconds of silence after a list item or a table row."""

_END_PUNCTUATION = ".。．!！?？؟…"


@dataclass(frozen=True)
class ScriptSection:
    """What one audio track says."""

    id: str
    """Section id; the track is named after it."""
    title: str
    """The section's heading as plain text (the track title)."""
    disclaimer: bool
    """Whether this is the medical disclaimer."""
    utterances: tuple[Utterance, ...]
    """The utterances in order, heading first."""

    @property
    def words(self) -> int:
        """How many words (or CJK characters) are spoken, for plausibility checks."""
        return sum(speech_units(u.text) for u in self.utterances)

    @property
    def pauses(self) -> int:
        """Total milliseconds of pauses between utterances."""
        return sum(u.pause for u in self.utterances)


@dataclass(frozen=True)
class Script:
    """A document's spoken script in one locale."""

    document: str
    """The document id."""
    title: str
    """The document title in the locale (the album name)."""
    locale: str
    """The locale code."""
    sections: tuple[ScriptSection, ...]
    """The sections in listening order; the disclaimer is last."""

    def render(self, where: Callable[[Path], Path] = lambda path: path) -> str:
        """The script as text, section by section, for a reviewer to proofread.

        Under each utterance, every lexicon entry applied to it is marked with its file
        (as ``where`` shows it) and line.
        """
        lines: list[str] = []
        for number, section in enumerate(self.sections, start=1):
            lines.append(f"## {number:02d} {section.id}: {section.title}")
            for u in section.utterances:
                lines.append(f"{u.text}  [{u.pause} ms]")
                lines.extend(
                    f"    [lexicon: {s.written!r} is said as {s.alias!r}, {where(s.path)}:{s.line}]"
                    for s in u.substitutions
                )
            lines.append("")
        return "\n".join(lines)


def spoken_text(markdown: str) -> str:
    """A block's inline Markdown as plain text to speak (markup and link targets removed)."""
    return plain_text(markdown, collapse_spaces=True)


def spoken_script(doc: TranslatedDocument, ui: UiText, rules: SpeechRules | None = None) -> Script:
    """The spoken script of a translated document (see the module docstring).

    ``rules`` are the locale's speech rules; by default the shipped ones. A project's
    own lexicons are included with ``speech_rules(code, project.config.locales_dir)``.
    """
    if rules is None:
        rules = speech_rules(doc.locale.code)
    sections = [s for s in doc.sections if not s.is_disclaimer]
    sections += [s for s in doc.sections if s.is_disclaimer]
    return Script(
        document=doc.document.id,
        title=spoken_text(doc.title),
        locale=doc.locale.code,
        sections=tuple(
            _normalized(_section(section, ui, doc.locale.code), rules) for section in sections
        ),
    )


def render_script(script: Script, where: Callable[[Path], Path] = lambda path: path) -> str:
    """The script as text, section by section, exactly as it will be synthesized."""
    return script.render(where)


def _normalized(section: ScriptSection, rules: SpeechRules) -> ScriptSection:
    utterances = []
    for utterance in section.utterances:
        made: list[Substitution] = []
        text = normalize(utterance.text, rules, made)
        if text:
            utterances.append(replace(utterance, text=text, substitutions=tuple(made)))
    return replace(section, utterances=tuple(utterances))


def _section(section: TranslatedSection, ui: UiText, locale: str) -> ScriptSection:
    if section.heading is not None:
        title = spoken_text(section.heading.text)
    else:
        title = ui.gettext("Important", context="disclaimer")
    utterances = list(_utterances(section.blocks, ui, locale))
    if section.heading is None:
        first = section.blocks[0].block
        utterances.insert(0, Utterance(title, HEADING_PAUSE, first.id, first.line))
    return ScriptSection(section.id, title, section.is_disclaimer, tuple(utterances))


def _utterances(blocks: Sequence[TranslatedBlock], ui: UiText, locale: str) -> Iterator[Utterance]:
    tables_done: set[str] = set()
    numbers: dict[str, int] = {}
    for item in blocks:
        block = item.block
        role = block.role
        if block.raw_html:  # shown as text on the page, never read aloud
            continue
        if role in {Role.TABLE_HEADER, Role.TABLE_CELL, Role.CAPTION}:
            group = block.group or block.id
            if group not in tables_done:
                tables_done.add(group)
                yield from _table([b for b in blocks if b.block.group == group], ui, locale)
            continue
        text = spoken_text(item.text)
        if not text:
            continue
        if role.is_heading:
            pause = HEADING_PAUSE
        elif role in {Role.LIST_ITEM, Role.DISCLAIMER_LIST_ITEM}:
            pause = ITEM_PAUSE
            if block.ordered and block.group:
                numbers[block.group] = numbers.get(block.group, 0) + 1
                text = f"{numbers[block.group]}. {text}"
        else:
            sentences = split_sentences(item.text)
            for number, sentence in enumerate(sentences):
                last = number == len(sentences) - 1
                pause = PARAGRAPH_PAUSE if last else 0
                spoken = spoken_text(sentence)
                if spoken:
                    yield Utterance(spoken, pause, block.id, block.line, sentence=number)
            continue
        yield Utterance(text, pause, block.id, block.line)


def _table(blocks: Sequence[TranslatedBlock], ui: UiText, locale: str) -> Iterator[Utterance]:
    """A table: its caption first, then one utterance per body row with header labels."""
    captions = [b for b in blocks if b.block.role is Role.CAPTION]
    header_blocks, rows, _ = table_grid(blocks)
    header_cells = [header_blocks[col] for col in sorted(header_blocks)]
    headers = {col: spoken_text(b.text) for col, b in header_blocks.items()}
    for caption in captions:
        text = _format(ui, "Table: {caption}", locale, caption=spoken_text(caption.text))
        yield Utterance(text, PARAGRAPH_PAUSE, caption.block.id, caption.block.line)
    if not rows and header_cells:  # a table with a header row only: read the labels
        first = header_cells[0]
        text = " ".join(_sentence(label) for _, label in sorted(headers.items()))
        yield Utterance(text, PARAGRAPH_PAUSE, first.block.id, first.block.line)
    for _, row in sorted(rows.items()):
        cells = [row[col] for col in sorted(row)]
        parts = []
        for cell in cells:
            value = spoken_text(cell.text).rstrip(_END_PUNCTUATION).strip()
            label = headers.get(cell.block.col, "").rstrip(":：").strip()
            if label:
                parts.append(_format(ui, "{label}: {value}.", locale, label=label, value=value))
            else:
                parts.append(_sentence(value))
        start = cells[0].block
        yield Utterance(" ".join(parts), ITEM_PAUSE, start.id, start.line)


def _sentence(text: str) -> str:
    return text if not text or text[-1] in _END_PUNCTUATION else f"{text}."


def _format(ui: UiText, msgid: str, locale: str, **values: str) -> str:
    template = ui.gettext(msgid)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        raise SpeechError(
            f"the translation of {msgid!r} in ui.po is not a valid template "
            f"({error!r}); it must keep the placeholders {sorted(values)}",
            locale=locale,
        ) from None
