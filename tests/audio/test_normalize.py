"""Speech normalization and its data (PLS lexicons, speech rules), checked with espeak-ng's
own phonemes: each rule has a case espeak-ng reads wrongly as written and rightly after."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.audio.lexicon import (
    SHIPPED,
    LexiconError,
    SpeechRules,
    read_pls,
    speech_rules,
)
from pipeline.audio.normalize import (
    is_phone_number,
    normalize,
    number_value,
    plural_category,
    unit_words,
)
from pipeline.audio.phonemes import phonemes
from pipeline.audio.script import Script, spoken_script, spoken_text
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import UiText, translate
from pipeline.config import DEFAULT_VOICES
from pipeline.locales import parse_locale
from pipeline.source.parse import read_document

DATA = Path(__file__).resolve().parents[1] / "data" / "normalize"
FIXTURE = DATA / "doses.md"
FIXTURE_LOCALES = ["en", "es", "fr", "ru", "ar", "zh_Hans"]
SHIPPED_LOCALES = ["en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"]


def say(text: str, code: str) -> str:
    return normalize(text, speech_rules(code))


def plain(phones: str) -> str:
    """Phonemes without stress, tone numbers, pauses and language marks, for comparing."""
    phones = re.sub(r"\([a-z-]+\)", "", phones)
    return " ".join(re.sub(r"[',0-9]|_[|:]?", " ", phones).split())


def voice_of(code: str) -> str:
    return DEFAULT_VOICES[code]


def fixture_script(code: str, rules: SpeechRules | None = None) -> Script:
    info = parse_locale(code)
    po = None if code == "en" else read_po(DATA / f"{code}.po")
    return spoken_script(translate(read_document(FIXTURE), info, po), UiText(info, None), rules)


def utterance(script: Script, block: str) -> str:
    return next(u.text for s in script.sections for u in s.utterances if u.block == block)


def written(code: str, block: str) -> str:
    """A block of the fixture as written (markup removed), before normalization."""
    info = parse_locale(code)
    po = None if code == "en" else read_po(DATA / f"{code}.po")
    doc = translate(read_document(FIXTURE), info, po)
    return spoken_text(next(b.text for b in doc.blocks if b.block.id == block))


# -- the fixture document in six languages, heard through espeak-ng -------------------


@pytest.mark.parametrize("code", FIXTURE_LOCALES)
def test_phone_and_emergency_numbers_are_read_digit_by_digit(code: str) -> None:
    rules = speech_rules(code)
    raw = written(code, "intro.p1")
    spoken = utterance(fixture_script(code), "intro.p1")
    before, after = (plain(p) for p in phonemes([raw, spoken], voice_of(code)))
    zero, one = (plain(p) for p in phonemes([rules.digits.get(d, d) for d in "01"], voice_of(code)))
    # As written, espeak-ng reads "800" as a number (eight hundred) and 911 as nine hundred
    # and eleven; after normalization it says zero zero, and one one.
    assert f"{zero} {zero}" not in before and f"{one} {one}" not in before
    assert f"{zero} {zero}" in after
    if code != "fr":  # the French text gives 15, not 911
        assert f"{one} {one}" in after
    assert rules.separator.strip() in spoken  # a pause between the groups


def test_a_french_emergency_number_after_a_call_word_is_read_digit_by_digit() -> None:
    spoken = utterance(fixture_script("fr"), "intro.p1")
    assert "composez le 1 5 " in spoken
    assert plain(phonemes(["composez le 15"], "roa/fr")[0]).endswith("k E~z")  # "quinze"
    assert say("le 15 mars, 15 jours", "fr") == "le 15 mars, 15 jours"


@pytest.mark.parametrize("code", FIXTURE_LOCALES)
def test_doses_are_spoken_as_words_not_letters(code: str) -> None:
    raw = written(code, "intro.p2")
    spoken = utterance(fixture_script(code), "intro.p2")
    letters, before, after = (plain(p) for p in phonemes(["mg", raw, spoken], voice_of(code)))
    assert letters in before  # "em gee", "eme ge", or English letters in a Russian voice
    assert letters not in after
    rules = speech_rules(code)
    unit = next(u for u in rules.units if u.symbol == "mg")
    assert unit_words("500", unit, rules) in spoken


@pytest.mark.parametrize("code", FIXTURE_LOCALES)
def test_temperatures_are_spoken_in_degrees_celsius(code: str) -> None:
    raw = written(code, "intro.p3")
    spoken = utterance(fixture_script(code), "intro.p3")
    unit = next(u for u in speech_rules(code).units if u.symbol == "°C")
    celsius = unit.forms["other"].replace("{n}", "").split()[-1]  # Celsius, Цельсия, مئوية…
    word, before, after = (plain(p) for p in phonemes([celsius, raw, spoken], voice_of(code)))
    assert word not in before and word in after
    assert "°" not in spoken


@pytest.mark.parametrize("code", FIXTURE_LOCALES)
def test_link_targets_and_bare_web_addresses_are_not_read_out(code: str) -> None:
    spoken = utterance(fixture_script(code), "intro.p4")
    raw = written(code, "intro.p4")
    assert "https" in raw and "/types" in raw  # the bare address, as written
    assert "https" not in spoken and "/types" not in spoken and "www" not in spoken
    rules = speech_rules(code)
    assert rules.url.format(domain="cancer.gov") in spoken


@pytest.mark.parametrize(
    ("code", "abbreviation", "said"),
    [
        ("en", "e.g.", "for example"),
        ("es", "p. ej.", "por ejemplo"),
        ("fr", "p. ex.", "par exemple"),
        ("ru", "напр.", "например"),
    ],
)
def test_abbreviations_are_expanded(code: str, abbreviation: str, said: str) -> None:
    raw = written(code, "intro.p2")
    spoken = utterance(fixture_script(code), "intro.p2")
    assert abbreviation in raw and abbreviation not in spoken and said in spoken
    if code != "en":  # espeak-ng's English dictionary knows "e.g."; the others spell it
        word, before = (plain(p) for p in phonemes([said, raw], voice_of(code)))
        assert word not in before and word in plain(phonemes([spoken], voice_of(code))[0])


def test_the_printed_script_is_exactly_what_is_synthesized() -> None:
    script = fixture_script("es")
    printed = script.render()
    for section in script.sections:
        for u in section.utterances:
            assert f"{u.text}  [{u.pause} ms]" in printed
    assert "500 miligramos" in printed and "mg" not in printed


# -- each rule, on its own -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["1-800-422-6237", "(555) 123-4567", "+1 800 422 6237", "01 23 45 67 89", "422-6237"],
)
def test_phone_numbers_are_recognised(text: str) -> None:
    assert is_phone_number(text)
    assert "," in say(f"Call {text}.", "en")


@pytest.mark.parametrize(
    "text", ["2026-11-27", "27.11.2026", "1 000 000", "1.000.000", "2-3", "500"]
)
def test_dates_and_grouped_numbers_are_not_phone_numbers(text: str) -> None:
    assert not is_phone_number(text)


def test_phone_number_groups_country_code_and_digit_words() -> None:
    assert say("+1 800 422 6237", "en") == "plus 1, 8 0 0, 4 2 2, 6 2 3 7"
    assert say("(555) 123-4567", "en") == "5 5 5, 1 2 3, 4 5 6 7"
    assert say("拨打+86 10 1234 5678", "zh_Hans") == "拨打加 8 6，幺 0，幺 2 3 4，5 6 7 8"
    assert say("اتصل 1-800-422-6237", "ar") == "اتصل 1، 8 0 0، 4 2 2، 6 2 3 7"


def test_emergency_numbers_need_a_call_word_when_they_could_be_other_numbers() -> None:
    assert say("Call 911.", "en") == "Call 9 1 1."
    assert say("Call 112 now.", "en") == "Call 1 1 2 now."
    assert say("Room 112 has beds.", "en") == "Room 112 has beds."
    assert say("拨打120", "zh_Hans") == "拨打幺 2 0"
    assert say("120/80", "zh_Hans") == "120/80"
    assert say("позвоните 103", "ru") == "позвоните 1 0 3"
    assert say("в 103 случаях", "ru") == "в 103 случаях"


@pytest.mark.parametrize(
    ("code", "text", "said"),
    [
        ("en", "1 mg", "1 milligram"),
        ("en", "2 mg", "2 milligrams"),
        ("en", "1.5 mg", "1.5 milligrams"),
        ("fr", "1,5 mg", "1,5 milligramme"),
        ("fr", "2 mg", "2 milligrammes"),
        ("ru", "1 мг", "1 миллиграмм"),
        ("ru", "3 мг", "3 миллиграмма"),
        ("ru", "5 мг", "5 миллиграммов"),
        ("ru", "2,5 мг", "2,5 миллиграмма"),
        ("ru", "21 МЕ", "двадцать одна международная единица"),
        ("ar", "1 mg", "مليغرام واحد"),
        ("ar", "2 mg", "مليغرامان"),
        ("ar", "3 mg", "3 مليغرامات"),
        ("ar", "11 mg", "11 مليغراما"),
        ("ar", "100 mg", "100 مليغرام"),
        ("es", "1 mg", "un miligramo"),
        ("es", "1 000 mg", "1 000 miligramos"),
        ("zh_Hans", "50%", "百分之50"),
        ("en", "2-3 mL", "2 to 3 milliliters"),
        ("en", "5 mg/kg", "5 milligrams per kilogram"),
        ("en", "120/80 mmHg", "120/80 millimeters of mercury"),
        ("en", "38°C", "38 degrees Celsius"),
    ],
)
def test_units_agree_with_their_number(code: str, text: str, said: str) -> None:
    assert say(text, code) == said


def test_units_need_a_number_and_whole_words() -> None:
    assert say("the mg dose", "en") == "the mg dose"
    assert say("5 mgx", "en") == "5 mgx"
    assert say("Gruppe 2 gehen", "en") == "Gruppe 2 gehen"


def test_russian_feminine_units_are_spelled_out_because_espeak_reads_numbers_as_masculine() -> None:
    as_written, spoken, feminine = phonemes(
        ["1 международная единица", say("1 МЕ", "ru"), "одна международная единица"], "zle/ru"
    )
    assert "d;'in" in as_written.split()[0]  # "один", masculine
    assert spoken == feminine != as_written


def test_numbers_are_read_as_the_locale_writes_them() -> None:
    assert number_value("1,000", "en") == Decimal(1000)
    assert number_value("2,5", "fr") == Decimal("2.5")
    assert number_value("1.000", "es") == Decimal(1000)
    assert number_value("1 000", "fr") == Decimal(1000)
    assert plural_category(Decimal("1.5"), "fr") == "one"
    assert plural_category(Decimal("1.5"), "en") == "other"


def test_ranges_use_the_locales_words() -> None:
    assert say("Take 2-3 tablets.", "en") == "Take 2 to 3 tablets."
    assert say("Tome 2–3 pastillas.", "es") == "Tome 2 a 3 pastillas."
    assert say("COVID-19 and 2026-11-27", "en") == "COVID-19 and 2026-11-27"


def test_bare_web_addresses_become_a_domain_or_a_word() -> None:
    assert say("See https://www.cancer.gov/types.", "en") == "See cancer.gov."
    assert say("Voir www.has-sante.fr, ou", "fr") == "Voir has-sante.fr, ou"
    assert say("访问https://www.cancer.gov。", "zh_Hans") == "访问网页上的网址。"


def test_abbreviations_keep_a_sentence_end_and_a_capital() -> None:
    assert say("Fever, pain, etc.", "en") == "Fever, pain, et cetera."
    assert say("E.g. rest.", "en") == "For example rest."
    assert say("Dr. Smith", "en") == "Doctor Smith"
    assert say("т.е. и т. д.", "ru") == "то есть и так далее."
    assert say("eggs etc", "en") == "eggs etc"  # a grapheme matches as written


# -- the lexicons: shipped, project overrides, errors ----------------------------------


@pytest.mark.parametrize("code", SHIPPED_LOCALES)
def test_every_shipped_locale_has_a_valid_lexicon_and_rules(code: str) -> None:
    rules = speech_rules(code)
    assert rules.files == (SHIPPED / f"{code}.pls", SHIPPED / f"{code}.toml")
    assert rules.lexemes and rules.units and rules.emergency
    categories = {plural_category(Decimal(n), code) for n in (0, 1, 2, 3, 5, 11, 100)}
    for unit in rules.units:
        assert "other" in unit.forms
        assert categories <= set(unit.forms) or set(unit.forms) == {"other"}, unit.symbol


def test_a_project_lexicon_overrides_and_extends_the_shipped_one(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "en"
    folder.mkdir(parents=True)
    (folder / "lexicon.pls").write_text(
        '<?xml version="1.0"?>\n'
        '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"\n'
        '         alphabet="ipa" xml:lang="en-US">\n'
        "  <lexeme><grapheme>e.g.</grapheme><alias>say</alias></lexeme>\n"
        "  <lexeme><grapheme>CAR-T</grapheme><alias>car tee</alias></lexeme>\n"
        "</lexicon>\n",
        encoding="utf-8",
    )
    (folder / "lexicon.toml").write_text(
        '[units]\n"mg" = { other = "{n} milligrams of it" }\n', encoding="utf-8"
    )
    rules = speech_rules("en", tmp_path / "locales")
    assert rules.files[0] == folder / "lexicon.pls"
    text = "E.g. CAR-T, 2 mg, 3 kg, i.e."
    assert normalize(text, rules) == "Say car tee, 2 milligrams of it, 3 kilograms, that is."
    assert say(text, "en") == "For example CAR-T, 2 milligrams, 3 kilograms, that is."


def test_a_regional_locale_uses_its_languages_rules() -> None:
    assert say("Tome 500 mg", "es_MX") == "Tome 500 miligramos"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


PLS_HEAD = (
    '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
    'alphabet="ipa" xml:lang="en">\n'
)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (PLS_HEAD + "<lexeme><grapheme>x</grapheme>\n<alias>y</lexeme></lexicon>", 3, "XML"),
        (
            PLS_HEAD + "\n<lexeme><grapheme>x</grapheme><phoneme>ks</phoneme></lexeme></lexicon>",
            3,
            "only <phoneme>",
        ),
        (PLS_HEAD.replace('"en"', '"fr"') + "</lexicon>", 1, "xml:lang='fr'"),
        ('<!DOCTYPE lexicon [<!ENTITY a "b">]>\n' + PLS_HEAD + "</lexicon>", 1, "entities"),
        (PLS_HEAD + "<entry/></lexicon>", 2, "<entry>"),
    ],
)
def test_a_malformed_lexicon_is_an_error_naming_file_and_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    path = write(tmp_path / "en.pls", body)
    with pytest.raises(LexiconError) as caught:
        read_pls(path, "en")
    assert caught.value.path == path and caught.value.line == line, str(caught.value)
    assert caught.value.locale == "en" and message in str(caught.value)


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        ('separator = ", "\nspeed = 3\n', 2, "unknown key"),
        ('range = "{a}-"\n', 1, "{b}"),
        ('[units]\n"mg" = { one = "{n} milligram" }\n', 2, "'other'"),
        ('[units]\n"mg" = { other = "{count} mg" }\n', 2, "{n}"),
        ('[emergency]\nnumbers = ["9-1-1"]\n', 2, "not a number"),
        ('num2words = "xx"\n', 1, "num2words"),
        ("separator = \n", 1, "invalid TOML"),
    ],
)
def test_malformed_speech_rules_are_an_error_naming_file_and_line(
    tmp_path: Path, toml: str, line: int, message: str
) -> None:
    folder = tmp_path / "en"
    folder.mkdir()
    path = write(folder / "lexicon.toml", toml)
    with pytest.raises(LexiconError) as caught:
        speech_rules("en", tmp_path)
    assert caught.value.path == path and caught.value.line == line, str(caught.value)
    assert message in str(caught.value)
