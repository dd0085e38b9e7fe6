"""The reading-level report as one large-print HTML page (``output/reports/readability.html``).

:func:`render_html` returns the text; the caller writes it with ``atomic_write``.
Every piece of text is escaped; every piece in a translation's language carries
that language's ``lang`` and ``dir`` so that it is shown and read out correctly.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .model import HardSentence, ReadabilityReport, ReadabilityResult, Verdict

CSS = """
html { font-size: 100%; color: #1b1b1b; background: #ffffff; }
body {
  margin: 0;
  font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", Arial,
    sans-serif;
  font-size: 1.5rem;
  line-height: 1.5;
  text-align: start;
  overflow-wrap: break-word;
}
:lang(ar) { font-family: "Noto Sans Arabic", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
:lang(zh) { font-family: "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
.page { box-sizing: border-box; max-width: 36em; margin-inline: auto; padding: 0 1rem 2rem; }
h1, h2, h3 { line-height: 1.3; margin-block: 1.5em 0.75em; }
h1 { font-size: 2.25rem; }
h2 { font-size: 1.875rem; border-block-start: 0.2rem solid #1b1b1b; padding-block-start: 0.5em; }
h3 { font-size: 1.625rem; }
p, ul, ol, blockquote { margin-block: 0 1em; }
li { margin-block: 0 0.75em; }
a { color: #0b3d91; text-decoration: underline; }
a:focus, .scroll:focus { outline: 0.2rem solid #1b1b1b; outline-offset: 0.2rem; }
.scroll { overflow-x: auto; margin-block: 0 1.5em; }
table { border-collapse: collapse; }
caption { text-align: start; font-weight: 700; padding-block-end: 0.5em; }
th, td { border: 0.1rem solid #1b1b1b; padding: 0.25em 0.5em; text-align: start;
  vertical-align: top; }
.above { color: #8b0000; font-weight: 700; }
.within { color: #0a5a1c; font-weight: 700; }
.not-rated { font-weight: 700; }
blockquote { border-inline-start: 0.3rem solid #1b1b1b; padding-inline-start: 0.75em;
  margin-inline: 0; }
.where { font-weight: 400; }
"""

_CLASSES = {Verdict.ABOVE: "above", Verdict.WITHIN: "within", Verdict.NOT_RATED: "not-rated"}


def _e(text: str) -> str:
    return escape(text, quote=True)


def _local(report: ReadabilityReport, text: str, element: str = "span") -> str:
    """Text in the report's language, marked with its lang and dir."""
    return f'<{element} lang="{_e(report.tag)}" dir="{_e(report.direction)}">{_e(text)}</{element}>'


def _names(report: ReadabilityReport) -> str:
    """``Spanish (español)``; just ``English`` when both names are the same."""
    if report.native_name.casefold() == report.language.casefold():
        return _e(report.language)
    return f"{_e(report.language)} ({_local(report, report.native_name)})"


def _anchor(report: ReadabilityReport) -> str:
    return f"r-{report.document}-{report.locale}"


def _verdict(result: ReadabilityResult) -> str:
    words = result.verdict.value.capitalize()
    return f'<span class="{_CLASSES[result.verdict]}">{_e(words)}</span>'


def _level(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"grade {result.grade.value:.1f}"
    if result.level is not None:
        return f"{result.level.grades} ({result.level.label})"
    return "no grade"


def _score(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"{result.grade.name}: {result.grade.value:.1f}"
    if result.scores:
        return f"{result.scores[0].name}: {result.scores[0].value:.1f}"
    return "no validated formula"


def _length(result: ReadabilityResult) -> str:
    unit = "words" if result.figures.unit == "words" else "characters"
    return f"{result.figures.sentence_length:.1f} {unit} per sentence"


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]], label: str) -> str:
    """A table of already-escaped cells, in a keyboard-scrollable region."""
    out = [
        f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(label)}">',
        f"<table><caption>{_e(caption)}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        out.append(
            '<tr><th scope="row">' + row[0] + "</th>" + "".join(f"<td>{c}</td>" for c in row[1:])
        )
        out[-1] += "</tr>"
    out += ["</tbody></table>", "</div>"]
    return "\n".join(out)


def _summary(reports: Sequence[ReadabilityReport]) -> str:
    by_document: dict[str, list[ReadabilityReport]] = {}
    for report in reports:
        by_document.setdefault(report.document, []).append(report)
    tables = []
    for document, group in by_document.items():
        rows = []
        for report in group:
            overall = report.overall
            language = f'<a href="#{_e(_anchor(report))}">{_names(report)}</a>'
            rows.append(
                [
                    language,
                    _e(_length(overall)),
                    _e(_score(overall)),
                    _e(overall.level_text),
                    _verdict(overall),
                ]
            )
        head = ["Language", "Sentence length", "Score", "Level", "Verdict"]
        tables.append(_table(f"{document}: every language", head, rows, f"Summary, {document}"))
    return "\n".join(tables)


def _scores(report: ReadabilityReport) -> str:
    items = []
    for score in report.overall.scores:
        band = ""
        if score.band is not None:
            grades = f", {score.band.grades}" if score.band.grades else ""
            band = f" ({score.band.label}{grades})"
        items.append(f"<li>{_e(score.name)}: <strong>{score.value:.1f}</strong>{_e(band)}</li>")
    figures = report.overall.figures
    counts = [f"{figures.sentences} sentences"]
    if figures.words is not None:
        counts.append(f"{figures.words} words")
    counts.append(f"{figures.sentence_length:.1f} {figures.unit} per sentence")
    if figures.word_length is not None:
        counts.append(f"{figures.word_length:.1f} letters per word")
    if figures.syllables is not None and figures.words:
        counts.append(f"{figures.syllables / figures.words:.2f} syllables per word")
    items.append(f"<li>{_e(', '.join(counts))}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _sections(report: ReadabilityReport) -> str:
    rows = [
        [
            f"{_local(report, section.title)} "
            f'<span class="where">({_e(section.id)}, line {section.line}, '
            f"{section.figures.sentences} sentences)</span>",
            _e(_length(section)),
            _e(_score(section)),
            _e(section.level_text),
            _verdict(section),
        ]
        for section in report.sections
    ]
    head = ["Section", "Sentence length", "Score", "Level", "Verdict"]
    label = f"Sections, {report.language}"
    return _table(f"Sections ({report.language})", head, rows, label)


def _words(report: ReadabilityReport, label: str, words: Sequence[str]) -> str:
    return f"<li>{_e(label)}: {_local(report, ', '.join(words))}</li>"


def _sentence(report: ReadabilityReport, sentence: HardSentence) -> str:
    size = (
        f"{sentence.words} words"
        if sentence.words is not None
        else f"{sentence.characters} characters"
    )
    reasons = [f"<li>{_e(size)}</li>"]
    if sentence.polysyllables:
        count = len(sentence.polysyllables)
        label = f"{count} {'word' if count == 1 else 'words'} of 3 or more syllables"
        reasons.append(_words(report, label, sentence.polysyllables))
    if sentence.long_words:
        count = len(sentence.long_words)
        label = f"{count} long {'word' if count == 1 else 'words'}"
        reasons.append(_words(report, label, sentence.long_words))
    score = f"{sentence.score.name} {sentence.score.value:.1f} · " if sentence.score else ""
    where = (
        f"{score}{report.source.as_posix()} line {sentence.line} · block {sentence.block} · "
        f"section {sentence.section}"
    )
    return (
        "<li>\n"
        + _local(report, sentence.text, "blockquote")
        + f'\n<p class="where">{_e(where)}</p>\n<ul>\n'
        + "\n".join(reasons)
        + "\n</ul>\n</li>"
    )


def _blocks(report: ReadabilityReport) -> str:
    scored = ", ".join(report.overall.blocks) or "none"
    reasons: dict[str, list[str]] = {}
    for ident, reason in report.skipped:
        reasons.setdefault(reason, []).append(ident)
    skipped = "; ".join(f"{reason}: {', '.join(ids)}" for reason, ids in reasons.items())
    return (
        f"<details><summary>Blocks scored ({len(report.overall.blocks)}) and not scored"
        f"</summary>\n<p>Scored: {_e(scored)}</p>\n<p>Not scored: {_e(skipped or 'none')}</p>"
        "\n</details>"
    )


def _report(report: ReadabilityReport) -> str:
    anchor = _anchor(report)
    parts = [
        f'<section id="{_e(anchor)}" aria-labelledby="h-{_e(anchor)}">',
        f'<h2 id="h-{_e(anchor)}">{_names(report)}: {_local(report, report.overall.title)}</h2>',
        f"<p>{_verdict(report.overall)}: {_e(_level(report.overall))}, "
        f"target grade {report.target:g}.</p>",
        f"<p>{_e(report.note)}</p>",
        _scores(report),
    ]
    if report.sections:
        parts.append(_sections(report))
    if report.hardest:
        parts.append("<h3>Hardest sentences: start here</h3>")
        parts.append("<ol>\n" + "\n".join(_sentence(report, s) for s in report.hardest) + "\n</ol>")
    parts.append(_blocks(report))
    parts.append("</section>")
    return "\n".join(parts)


def render_html(reports: Sequence[ReadabilityReport], title: str = "Reading level") -> str:
    """One self-contained, large-print page covering every document and locale."""
    targets = sorted({r.target for r in reports})
    target = ", ".join(f"{t:g}" for t in targets) or "-"
    intro = (
        f"Target: US school grade {target} (health-literacy guidance asks for grade 6 to 8). "
        "Each language is scored only with formulas made for it; where none is validated, "
        "sentence and word length are shown instead. The hardest sentences are listed with "
        "the source line, so a writer knows where to start."
    )
    body = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<main class="page">',
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(intro)}</p>",
    ]
    if reports:
        body.append(_summary(reports))
        body.extend(_report(r) for r in reports)
    else:
        body.append("<p>Nothing to report.</p>")
    body += ["</main>", "</body>", "</html>", ""]
    return "\n".join(body)
