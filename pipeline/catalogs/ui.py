"""The interface strings around the content: page, audio, pack, index (the ``ui`` domain).

Each message is data: its text, its plural, and the comment translators see.
Placeholders are ``str.format`` names in braces (``{date}``), flagged
``python-brace-format`` so that ``msgfmt --check`` verifies them.
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "ui"


@dataclass(frozen=True)
class UiMessage:
    """One interface string."""

    msgid: str
    """The English text."""
    comment: str
    """Where it appears and what to watch for, for translators."""
    plural: str | None = None
    """The English plural, for messages with a count."""
    context: str | None = None
    """A ``msgctxt`` for short strings that could be ambiguous."""


NOT_ADVICE = (
    "This is information, not medical advice. Talk to your doctor or nurse about your own care."
)
DRAFT_NOTICE = "Draft translation, not yet reviewed by a qualified translator."
REVIEWED_NOTICE = "Reviewed translation."
OLDER_NOTICE = "This translation is of the text as it was on {old_date}; the English text was updated on {new_date}."
BEING_UPDATED = (
    "This translation is being updated. Until it is ready, read the current English text."
)
NO_VOICE = "There is no audio in this language: no voice on this system speaks it yet."
HANDOUT_README = "{file} is a large-print handout: print it, or send it as one file."
BOOK_SUMMARY = "This talking book has the full text and a recording of it, in sync sentence by sentence: a reading app highlights each sentence as it is read aloud. Headings and a table of contents lead to every section. The text size, font and colours are the reader's to choose."
HOW_TO_OPEN_WITH_BOOK = "How to open it: open index.html in a web browser to read the large-print page, and play audio/full.mp3 to hear the whole text (it has a chapter for each section)."
BOOK_HOW_TO_OPEN = "{file} is a talking book: open it in a reading app such as Thorium Reader, Dolphin EasyReader, Voice Dream Reader or Apple Books to read the text and hear it read aloud, sentence by sentence."
HOW_TO_OPEN = "How to open it: open index.html in a web browser to read the large-print page. The audio folder has one MP3 file per section; play them in order, or open playlist.m3u8."

MESSAGES: tuple[UiMessage, ...] = (
    UiMessage(
        "Skip to main content", "Page: link at the very top for keyboard and screen-reader users."
    ),
    UiMessage("Languages", "Page: label of the list of other languages.", context="navigation"),
    UiMessage("Read this in another language:", "Page: introduces the language switcher."),
    UiMessage(
        "Last reviewed on {date}",
        "Page and pack: {date} is the medical review date, formatted for your language.",
    ),
    UiMessage(
        DRAFT_NOTICE,
        "Page, pack and status: shown while the PO header says X-Review-Status: draft.",
    ),
    UiMessage(
        REVIEWED_NOTICE,
        "Page and pack: shown once the PO header says X-Review-Status: reviewed.",
    ),
    UiMessage(
        "Parts of this page are not translated yet and are shown in the original language.",
        "Page: preview builds only, when some entries are not translated.",
    ),
    UiMessage(
        "Contents", "Page: label of the list of links to each section.", context="navigation"
    ),
    UiMessage(
        "Full recording",
        "Audio: title of the one file that holds the whole text, with a chapter per section.",
    ),
    UiMessage(
        "Audio is not available in this language yet.",
        "Page and index: shown when the audio could not be made.",
    ),
    UiMessage(
        "Listen to this section", "Page: label of the audio player under each section heading."
    ),
    UiMessage(
        "Listen to the whole text", "Page: label of the player for the full-length recording."
    ),
    UiMessage(
        "{count} minute of audio",
        "Page and index: total length of the recording; {count} is a whole number of minutes.",
        plural="{count} minutes of audio",
    ),
    UiMessage("Download the audio (MP3)", "Page: link to the section's MP3 file."),
    UiMessage(
        "Important", "Page: label of the highlighted disclaimer region.", context="disclaimer"
    ),
    UiMessage(
        "{label}: {value}.",
        "Audio: how one table cell is read aloud, with its column header as {label}. Use your language's punctuation.",
    ),
    UiMessage(
        "Table: {caption}", "Audio: read before a table, with the table's caption as {caption}."
    ),
    UiMessage("Patient information", "Index page: title of the page that lists every language."),
    UiMessage("Choose your language", "Index page: heading above the list of languages."),
    UiMessage("Read the page", "Index page: link to the large-print page in this language."),
    UiMessage(
        "Download the pack ({size})",
        "Index page: link to the zip pack; {size} is its size, e.g. 3.2 MB.",
    ),
    UiMessage("In preparation", "Index page: heading for languages that are not published yet."),
    UiMessage(
        "{count} language",
        "Index page: how many languages are available.",
        plural="{count} languages",
    ),
    UiMessage(
        OLDER_NOTICE,
        "Page, pack and index: shown while this translation has not caught up with a change to the English text. {old_date} is the date of the English text that was translated, {new_date} the date it was changed; both are formatted for your language.",
    ),
    UiMessage(
        BEING_UPDATED,
        "Index page: shown instead of the links when the older translation was taken down because the English text had an important correction.",
    ),
    UiMessage(
        "Read the current English text",
        "Index page: link to the English page, shown while this language is being updated.",
    ),
    UiMessage(
        NO_VOICE,
        "Page, pack and index: shown when no speech voice for this language is installed.",
    ),
    UiMessage(NOT_ADVICE, "Pack README: shown first, before anything else."),
    UiMessage(HOW_TO_OPEN, "Pack README: instructions for the person receiving the pack."),
    UiMessage("What is in this pack", "Pack README: heading of the file list."),
    UiMessage(
        HANDOUT_README,
        "Pack README: {file} is the PDF's file name. Community health workers print it or send it by phone.",
    ),
    UiMessage(
        "Page {page} of {pages}",
        "Handout (PDF): page number at the foot of every page; keep {page} before {pages}.",
    ),
    UiMessage(
        "Scan this code to open this page, with its audio, on a phone:",
        "Handout (PDF): caption above the QR code on the first page; the web address is printed under it.",
    ),
    UiMessage("QR code", "Handout (PDF): what a screen reader says for the QR code image."),
    UiMessage(
        "Handout to print or send (PDF, {count} page, {size})",
        "Page and index page: link to the large-print PDF; {count} is its number of pages, {size} its size, e.g. 120 kB.",
        plural="Handout to print or send (PDF, {count} pages, {size})",
    ),
    UiMessage(
        BOOK_SUMMARY,
        "Talking book (EPUB): the accessibility summary that reading apps and book stores show.",
    ),
    UiMessage(
        HOW_TO_OPEN_WITH_BOOK,
        "Pack README: instructions for the person receiving a pack that has a talking book. Keep index.html and audio/full.mp3 as they are.",
    ),
    UiMessage(
        BOOK_HOW_TO_OPEN,
        "Pack README: how to open the talking book; {file} is its file name. Keep the app names.",
    ),
    UiMessage(
        "Landmarks",
        "Talking book: heading of the list of main places in the book (hidden by most apps).",
        context="navigation",
    ),
    UiMessage(
        "Talking book (EPUB, {size})",
        "Page and index page: link to the talking book; {size} is its size, e.g. 2.1 MB.",
    ),
)
