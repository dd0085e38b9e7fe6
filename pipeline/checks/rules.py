"""The entry checks: plain functions with one signature, listed in :data:`CHECKERS`.

As in Babel's ``babel/messages/checkers.py``, each checker takes one PO entry and a
:class:`CheckContext` and yields :class:`Issue` s; :func:`pipeline.checks.findings.check_catalog`
runs them all and turns each issue into a finding that names the locale, file, line,
msgid and check. Content checks look at translated, non-fuzzy entries only (a fuzzy
translation is not used until a translator confirms it; the ``fuzzy`` check reports it).

Libraries, chosen by trying them on the shipped catalogs and on our languages:

- whitespace: translate-toolkit's ``startwhitespace``/``endwhitespace``, which know that
  full-width CJK punctuation takes the place of a trailing space (``Note: `` → ``注意：``);
- Markdown, links, unsafe links and raw HTML: markdown-it-py, the parser that renders the
  page (:mod:`pipeline.checks.scan`);
- placeholders: :class:`string.Formatter`, the parser ``str.format`` itself uses;
- numbers: Babel's CLDR symbols (:func:`pipeline.checks.scan.scan_numbers`), because
  translate-toolkit's ``numbers`` takes ``٢`` and ``2``, or ``3,5`` and ``3.5``, for
  different numbers;
- e-mail addresses: our own pattern, because translate-toolkit's keeps a sentence's final
  period (``info@x.org.`` differs from ``info@x.org。``). Its ``brackets`` (flags the
  parentheses translators add and full-width ``（）``) and ``urls`` (no ``mailto:`` or
  ``tel:``; keeps the ``)`` of a Markdown link) are not used.
"""

from __future__ import annotations

import gettext
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import polib
from translate.filters.checks import CheckerConfig, FilterFailure, StandardChecker

from ..catalogs.catalog import is_disclaimer_entry as is_disclaimer
from ..catalogs.catalog import is_done
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..checks import scan
from ..locales import LocaleInfo, parse_locale
from ..source.bounds import MAX_BLOCK_CHARS
from ..termbase.glossary import Term
from ..termbase.match import forbidden_used, terms_in, uses_approved
from .finding import Severity

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Typical length of a translation relative to English (characters of prose), measured on
#: the shipped catalogs (median over entries of 40+ characters) and, for Japanese and
#: Korean, set from the usual figures for CJK text. Other languages: 1.0.
EXPECTED_RATIO: dict[str, float] = {
    "en": 1.0,
    "es": 1.1,
    "fr": 1.2,
    "ru": 1.05,
    "ar": 0.85,
    "vi": 1.05,
    "ht": 0.9,
    "zh": 0.3,
    "ja": 0.4,
    "ko": 0.5,
}
#: The placeholder for the number in plural interface strings (see pipeline/catalogs/ui.py).
COUNT_PLACEHOLDER = "{count}"
#: How far (either way) a translation's length may stray from the expected ratio.
LENGTH_FACTOR = 2.5
#: Shorter sources (in characters of prose) are not length-checked: labels vary too much.
LENGTH_MIN = 20


@dataclass(frozen=True)
class Issue:
    """One problem a checker found in one entry."""

    check: str
    """The check's name (``numbers``, ``links``, ...)."""
    severity: Severity
    """``error`` withholds the locale; ``warning`` is reported only."""
    message: str
    """What is wrong, for the translator."""


@dataclass(frozen=True)
class CheckContext:
    """What the checkers need to know about the catalog being checked."""

    locale: LocaleInfo
    """The catalog's language."""
    source: LocaleInfo
    """The master texts' language."""
    domain: str
    """The gettext domain (a document id, or ``ui``)."""
    single_forms: frozenset[int]
    """Plural forms used for exactly one number (Arabic's ``n == 2``): as in GNU gettext,
    these may leave out the number's placeholder (:data:`COUNT_PLACEHOLDER`)."""
    terms: tuple[Term, ...] = ()
    """The language's glossary terms (:mod:`pipeline.termbase`)."""


def make_context(
    locale: LocaleInfo, domain: str, source_language: str = "en", terms: tuple[Term, ...] = ()
) -> CheckContext:
    """The context for checking ``locale``'s catalog of ``domain`` (with its glossary)."""
    return CheckContext(
        locale, parse_locale(source_language), domain, _single_forms(locale.plural_forms), terms
    )


@cache
def _single_forms(plural_forms: str) -> frozenset[int]:
    expression = plural_forms.split("plural=", 1)[1].strip().rstrip(";")
    choose = gettext.c2py(expression)
    uses = Counter(int(choose(n)) for n in range(1000))
    return frozenset(form for form, count in uses.items() if count == 1)


@dataclass(frozen=True)
class Pair:
    """A source text and one translation of it (one plural form)."""

    source: str
    """``msgid``, or ``msgid_plural`` for the plural forms."""
    translation: str
    """``msgstr`` or one ``msgstr[n]``."""
    form: int | None
    """The plural form's index, ``None`` for an entry without plural."""

    @property
    def where(self) -> str:
        """``msgstr[2]: `` for a plural form, else nothing (the start of a message)."""
        return "" if self.form is None else f"msgstr[{self.form}]: "


def pairs(entry: polib.POEntry, ctx: CheckContext) -> list[Pair]:
    """The translated texts of a live, non-fuzzy entry, each with its source text."""
    if entry.obsolete or "fuzzy" in entry.flags:
        return []
    if not entry.msgid_plural:
        return [Pair(entry.msgid, entry.msgstr, None)] if entry.msgstr else []
    result = []
    for form, text in sorted(entry.msgstr_plural.items()):
        if text:
            singular = int(form) == 0 and ctx.locale.num_plurals > 1
            result.append(Pair(entry.msgid if singular else entry.msgid_plural, text, int(form)))
    return result


def _listing(items: Counter[str]) -> str:
    return ", ".join(f"{k!r}" + (f" ×{n}" if n > 1 else "") for k, n in sorted(items.items()))


def _compare(check: str, pair: Pair, want: Counter[str], got: Counter[str]) -> Iterator[Issue]:
    missing, extra = want - got, got - want
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing from the translation: {_listing(missing)}")
        if extra:
            parts.append(f"not in the source: {_listing(extra)}")
        yield Issue(check, "error", pair.where + "; ".join(parts))


# -- the checkers --------------------------------------------------------------


def numbers(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Every number of the source is in the translation, and no other (digits of any
    script, separators of each language: ``١٬٥٠٠`` = ``1 500`` = ``1,500``)."""
    for pair in pairs(entry, ctx):
        want = {scan.show_number(n) for n in scan.scan_numbers(pair.source, ctx.source.code)}
        got = {scan.show_number(n) for n in scan.scan_numbers(pair.translation, ctx.locale.code)}
        yield from _compare("numbers", pair, Counter(want), Counter(got))


def links(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Link destinations, bare URLs, ``mailto:`` and ``tel:`` kept exactly."""
    for pair in pairs(entry, ctx):
        want = Counter(scan.link_targets(pair.source))
        yield from _compare("links", pair, want, Counter(scan.link_targets(pair.translation)))


def emails(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """E-mail addresses kept exactly."""
    for pair in pairs(entry, ctx):
        want = Counter(scan.email_addresses(pair.source))
        got = Counter(scan.email_addresses(pair.translation))
        yield from _compare("emails", pair, want, got)


def unsafe_links(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Links in a translation go to http(s), mailto or tel only (the page drops others)."""
    for pair in pairs(entry, ctx):
        for target in scan.link_destinations(pair.translation):
            scheme = urlsplit(target).scheme.lower()
            if scheme not in SAFE_SCHEMES:
                what = f"scheme {scheme!r}" if scheme else "no scheme (a relative link)"
                yield Issue(
                    "unsafe-link",
                    "error",
                    f"{pair.where}link {target!r} has {what}; only http(s), mailto and tel "
                    "links are allowed",
                )


def raw_html(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """No raw HTML in a translation (translated text is data, never markup)."""
    for pair in pairs(entry, ctx):
        tags = scan.html_tags(pair.translation)
        if tags:
            yield Issue(
                "html",
                "error",
                f"{pair.where}raw HTML {', '.join(tags)}: use Markdown, or write the text "
                "without tags",
            )


def markdown(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """The same inline Markdown as the source: bold, italic, code, links, images, and no
    markers left unbalanced (as the page's parser reads them)."""
    for pair in pairs(entry, ctx):
        want = scan.markdown_signature(pair.source)
        got = scan.markdown_signature(pair.translation)
        if want != got:
            kinds = sorted(set(want) | set(got))
            diff = ", ".join(f"{k} {want[k]} → {got[k]}" for k in kinds if want[k] != got[k])
            yield Issue(
                "markdown",
                "error",
                f"{pair.where}inline Markdown differs from the source (source → translation: "
                f"{diff})",
            )


def placeholders(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """``{name}`` placeholders of interface strings match in every plural form."""
    if "no-python-brace-format" in entry.flags:
        return
    if ctx.domain != UI_DOMAIN and "python-brace-format" not in entry.flags:
        return
    for pair in pairs(entry, ctx):
        try:
            got = scan.placeholders(pair.translation)
        except ValueError as error:
            yield Issue("placeholders", "error", f"{pair.where}malformed placeholder: {error}")
            continue
        want = set(scan.placeholders(entry.msgid)) | set(scan.placeholders(entry.msgid_plural))
        if pair.form in ctx.single_forms and COUNT_PLACEHOLDER not in got:
            want.discard(COUNT_PLACEHOLDER)  # a form for one number may say it in words
        yield from _compare("placeholders", pair, Counter(want), Counter(set(got)))


@cache
def _tt_checker(language: str) -> StandardChecker:
    return StandardChecker(checkerconfig=CheckerConfig(targetlanguage=language))


def whitespace(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Leading and trailing whitespace as in the source (translate-toolkit's checks)."""
    checker = _tt_checker(ctx.locale.code.split("_")[0])
    tests: tuple[tuple[str, Callable[[str, str], object], Callable[[str], str]], ...] = (
        ("leading", checker.startwhitespace, lambda s: s[: len(s) - len(s.lstrip())]),
        ("trailing", checker.endwhitespace, lambda s: s[len(s.rstrip()) :]),
    )
    for pair in pairs(entry, ctx):
        for side, test, edge in tests:
            try:
                test(pair.source, pair.translation)
            except FilterFailure:
                yield Issue(
                    "whitespace",
                    "error",
                    f"{pair.where}{side} whitespace differs: source {edge(pair.source)!r}, "
                    f"translation {edge(pair.translation)!r}",
                )


def identical(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """The translation is the source text (a warning). Skipped when the source's prose
    (without markup, placeholders, links and numbers) is under two words: codes, units,
    single names and words such as ``MP3``, ``OK`` or ``Options`` may stay as they are."""
    for pair in pairs(entry, ctx):
        if pair.translation.strip() != pair.source.strip():
            continue
        if scan.word_count(scan.visible_words(pair.source)) < 2:
            continue
        yield Issue("identical", "warning", f"{pair.where}the translation is the source text")


def _ratio(code: str) -> float:
    return EXPECTED_RATIO.get(code.split("_")[0], 1.0)


MAX_TRANSLATION_CHARS = 3 * MAX_BLOCK_CHARS
"""The longest translation of one entry: three times the longest block a master text may
hold. Beyond it the locale is withheld (a leaflet's entry is never that long, and the
speech worker, the page and the pack are not given it)."""


def too_long(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """A translation far beyond any entry of a leaflet (an error: pasted by mistake?)."""
    for pair in pairs(entry, ctx):
        if len(pair.translation) > MAX_TRANSLATION_CHARS:
            yield Issue(
                "too-long",
                "error",
                f"{pair.where}the translation is {len(pair.translation)} characters; an entry "
                f"may be at most {MAX_TRANSLATION_CHARS} (was something pasted by mistake?)",
            )


def length(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Length far from what is usual for the language (a warning: text cut or added?)."""
    expected = _ratio(ctx.locale.code) / _ratio(ctx.source.code)
    for pair in pairs(entry, ctx):
        source = scan.visible_words(pair.source)
        if len(source) < LENGTH_MIN:
            continue
        ratio = len(scan.visible_words(pair.translation)) / len(source)
        if ratio < expected / LENGTH_FACTOR or ratio > expected * LENGTH_FACTOR:
            yield Issue(
                "length",
                "warning",
                f"{pair.where}the translation is {ratio:.2f} times as long as the source; "
                f"about {expected:.2f} is usual for {ctx.locale.english_name}: is text "
                "missing or added?",
            )


def fuzzy(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Fuzzy entries: the translation is not used until a translator confirms it."""
    if entry.obsolete or "fuzzy" not in entry.flags:
        return
    if is_disclaimer(entry):
        yield Issue(
            "disclaimer-fuzzy",
            "error",
            "disclaimer entry is fuzzy: review it and remove the fuzzy flag",
        )
    else:
        yield Issue(
            "fuzzy",
            "warning",
            "the source changed: review the translation, then remove the fuzzy flag",
        )


def disclaimer_missing(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """A disclaimer entry that is not translated (every plural form) blocks the locale."""
    if entry.obsolete or "fuzzy" in entry.flags or not is_disclaimer(entry):
        return
    if not is_done(entry):
        yield Issue("disclaimer-missing", "error", "disclaimer entry is not translated")


def terms(entry: polib.POEntry, ctx: CheckContext) -> Iterator[Issue]:
    """Glossary terms in the source translated as the glossary says: a forbidden variant
    is an error, a translation without the approved term (or an admitted variant) a
    warning."""
    for pair in pairs(entry, ctx):
        for term in terms_in(pair.source, ctx.terms):
            if not term.translation:
                continue
            wrong = forbidden_used(pair.translation, term)
            if wrong is not None:
                yield Issue(
                    "term-forbidden",
                    "error",
                    f"{pair.where}term {term.source!r}: the forbidden variant {wrong!r} is "
                    f"used; the glossary's translation is {term.translation!r}",
                )
            elif not uses_approved(pair.translation, term):
                yield Issue(
                    "term",
                    "warning",
                    f"{pair.where}term {term.source!r}: the glossary's translation "
                    f"{term.translation!r} is not used",
                )


Checker = Callable[[polib.POEntry, CheckContext], Iterator[Issue]]

#: Every checker, in the order findings are reported.
CHECKERS: tuple[Checker, ...] = (
    too_long,
    disclaimer_missing,
    fuzzy,
    numbers,
    links,
    emails,
    unsafe_links,
    raw_html,
    markdown,
    placeholders,
    whitespace,
    identical,
    length,
    terms,
)
