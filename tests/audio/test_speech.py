"""The spoken script, and speech synthesis in worker processes (real espeak-ng)."""

from __future__ import annotations

import array
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.audio import synthesis
from pipeline.audio.script import (
    HEADING_PAUSE,
    Script,
    Utterance,
    speech_units,
    spoken_script,
)
from pipeline.audio.sentences import split_sentences
from pipeline.audio.synthesis import (
    Pcm,
    plausible_seconds,
    reference_mismatch,
    require_voice,
    run_parallel,
    sounding_frames,
    synthesize,
)
from pipeline.catalogs.translate import UiText, translate
from pipeline.errors import SpeechError
from pipeline.locales import parse_locale
from pipeline.project import Project
from pipeline.source.parse import parse_document, read_document

DATA = Path(__file__).resolve().parents[1] / "data" / "speech"
TINY = DATA / "tiny.md"
EN = parse_locale("en")


def script_of(text: str | None = None) -> Script:
    doc = read_document(TINY) if text is None else parse_document(text, TINY)
    return spoken_script(translate(doc, EN, None), UiText(EN, None))


def texts(script: Script, section: str) -> list[str]:
    return [u.text for s in script.sections if s.id == section for u in s.utterances]


# -- the script ----------------------------------------------------------------


def test_every_section_starts_with_its_heading_then_a_pause() -> None:
    script = script_of()
    assert [s.id for s in script.sections] == ["intro", "each-day", "two-choices", "disclaimer"]
    for section in script.sections:
        first = section.utterances[0]
        assert first.text == section.title
        assert first.pause == HEADING_PAUSE
    assert script.sections[0].title == "Taking Your Tablets"


def test_inline_markdown_is_removed_and_link_targets_are_not_read() -> None:
    spoken = " ".join(texts(script_of(), "intro") + texts(script_of(), "each-day"))
    assert "See the drug guide for more help." in spoken
    assert "example.org" not in spoken and "https" not in spoken
    assert not any(mark in spoken for mark in "*[]()_`")


def test_lists_are_read_item_by_item_with_their_numbers() -> None:
    assert texts(script_of(), "each-day")[1:] == [
        "1. Take one tablet with water.",
        "2. Write down the time.",
    ]


def test_the_table_is_announced_then_read_row_by_row_with_labels() -> None:
    assert texts(script_of(), "two-choices")[1:] == [
        "Table: When to take them.",
        "Option: Morning. Timing: With breakfast.",
        "Option: Evening. Timing: After supper.",
    ]


def test_the_disclaimer_is_read_in_full_and_last_even_when_it_comes_earlier() -> None:
    source = TINY.read_text(encoding="utf-8")
    disclaimer = source[source.index("::: disclaimer") :]
    moved = source.replace(disclaimer, "").replace("## Each Day\n", f"{disclaimer}\n## Each Day\n")
    script = script_of(moved)
    last = script.sections[-1]
    assert last.disclaimer and last.id == "disclaimer"
    assert [u.text for u in last.utterances] == [
        "Disclaimer",
        "This is general information, not medical advice.",
        "Ask your care team about your own treatment.",
    ]
    assert sum(s.disclaimer for s in script.sections) == 1


def test_table_labels_use_the_locales_interface_strings(project: Project) -> None:
    es = parse_locale("es")
    ui = UiText(es, project.catalog("es", "ui"))
    assert ui.translated("{label}: {value}.") and ui.translated("Table: {caption}")
    script = spoken_script(translate(read_document(TINY), es, None), ui)
    rows = texts(script, "two-choices")
    assert rows[1] == ui.gettext("Table: {caption}").format(caption="When to take them.")
    expected = ui.gettext("{label}: {value}.").format(label="Option", value="Morning")
    assert rows[2].startswith(expected)


def test_a_broken_template_in_ui_po_is_a_speech_error() -> None:
    class Broken(UiText):
        def gettext(self, msgid: str, context: str | None = None) -> str:
            return "{etiqueta}: {valor}." if "{label}" in msgid else msgid

    doc = translate(read_document(TINY), EN, None)
    with pytest.raises(SpeechError) as caught:
        spoken_script(doc, Broken(EN, None))
    assert caught.value.locale == "en"
    assert "{label}: {value}." in str(caught.value)


def test_speech_units_count_words_and_cjk_characters() -> None:
    assert speech_units("Take one tablet.") == 3
    assert speech_units("多发性骨髓瘤") == 6
    assert speech_units("Hello, 世界 — 2 x") == 5
    assert speech_units("") == 0


# -- synthesis in worker processes --------------------------------------------


def speak(task: tuple[tuple[Utterance, ...], str, str]) -> Pcm:
    """Run in a worker: speak the utterances with a voice for a locale at 150 wpm."""
    utterances, voice, locale = task
    pcm, spans = synthesize(utterances, voice, 150, locale)
    # Each utterance's speech lies inside the audio, in order, the pause after it silent.
    assert len(spans) == len(utterances)
    end = 0
    for (begin, stop), utterance in zip(spans, utterances, strict=True):
        assert end <= begin < stop <= len(pcm.data) // 2
        end = stop + pcm.rate * utterance.pause // 1000
    return pcm


def hang(pid_file: str) -> None:
    """Run in a worker: never finish, as pyttsx3's ``runAndWait`` sometimes does."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(600)


def fail(section: str) -> None:
    """Run in a worker: fail."""
    raise ValueError(f"broken {section}")


def rms(pcm: Pcm) -> float:
    samples = array.array("h", pcm.data)
    return math.sqrt(sum(s * s for s in samples[::4]) / max(1, len(samples[::4])))


def test_each_worker_speaks_checked_audio_that_fits_its_text() -> None:
    line = Utterance("Take one tablet with water, then write down the time.", 500, "x", 1)
    short = Utterance("Done.", 0, "y", 2)
    tasks = [((line, short), "gmw/en-US", "en"), ((line,), "roa/es", "es")]
    results = run_parallel(speak, tasks, timeout=60, locale="en", describe=str)
    for pcm, (utterances, _, _) in zip(results, tasks, strict=True):
        words = sum(speech_units(u.text) for u in utterances)
        pauses = sum(u.pause for u in utterances) / 1000
        low, high = plausible_seconds(words, 150)
        assert pauses + low <= pcm.seconds <= pauses + high
        assert rms(pcm) > 300  # speech, not silence (full scale is 32767)
    assert results[0].rate in (22050, 24000)


def test_a_voice_espeak_does_not_have_is_a_clear_error_for_that_locale() -> None:
    with pytest.raises(SpeechError) as caught:
        require_voice("roa/nope", "es")
    assert caught.value.locale == "es"
    message = str(caught.value)
    assert "'roa/nope'" in message and "'roa/es'" in message and "[speech.voices]" in message
    assert "roa/es, roa/es-419" in message  # the voices that do speak the language


def test_require_voice_accepts_variants_and_never_substitutes() -> None:
    require_voice("roa/es", "es")
    require_voice("gmw/en-US+f3", "en")
    with pytest.raises(SpeechError, match="speaks es, not French"):
        require_voice("roa/es", "fr")  # a voice of another language is not taken
    with pytest.raises(SpeechError, match="no espeak-ng voice is configured for vi"):
        require_voice(None, "vi")


def test_a_hang_becomes_a_speech_error_naming_locale_and_section(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    with pytest.raises(SpeechError) as caught:
        run_parallel(
            hang, [str(pid_file)], timeout=2, locale="fr", describe=lambda _: "section 'intro'"
        )
    assert caught.value.locale == "fr"
    assert "section 'intro'" in str(caught.value) and "hung" in str(caught.value)
    status = Path(f"/proc/{pid_file.read_text()}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()  # the worker was killed


def started_at(task: str) -> tuple[str, int]:
    """Run in a worker: the task and when its worker ran it."""
    return task, time.monotonic_ns()


def test_the_largest_tasks_start_first_and_results_keep_their_order() -> None:
    tasks = ["b", "dddd", "a", "ccc"]
    results = run_parallel(
        started_at, tasks, timeout=60, locale="en", describe=str, workers=1, size=len
    )
    assert [task for task, _ in results] == tasks
    assert [task for task, _ in sorted(results, key=lambda r: r[1])] == ["dddd", "ccc", "b", "a"]


def test_a_failing_task_is_reported_with_its_section() -> None:
    with pytest.raises(SpeechError) as caught:
        run_parallel(fail, ["a", "b"], timeout=30, locale="vi", describe=lambda s: f"section {s}")
    assert caught.value.locale == "vi"
    assert "ValueError: broken" in str(caught.value)


def speak_with_a_fault(fault: str) -> Pcm:
    """Run in a worker: speak two sentences while pyttsx3's driver misbehaves as seen."""
    from pipeline.audio import engine

    driver = engine.engine("gmw/en-US", 150).proxy._driver
    said: list[str] = []
    save, on_synth = driver.save_to_file, driver._onSynth

    def stale_text(text: str, filename: str) -> None:
        """The previous call's text spoken into this call's file (audio of another sentence)."""
        save(said[-1] if said else text, filename)
        said.append(text)

    def leftover(wav: object, samples: int, events: object) -> int:
        """Samples of an earlier call left at the start of this call's audio."""
        if driver._speaking and not driver._data_buffer:
            driver._data_buffer = bytes(2 * 2205)
        return int(on_synth(wav, samples, events))

    if fault == "stale text":
        driver.save_to_file = stale_text
    elif fault == "leftover":
        driver._onSynth = leftover
    elif fault == "other rate":  # espeak-ng set behind the engine's back
        driver.setProperty("rate", 117)
    else:
        driver.setProperty("voice", "roa/es")
    first = Utterance("Call your nurse.", 0, "x", 1)
    second = Utterance("Take one tablet with water, then write down the time.", 0, "x", 2)
    return synthesize((first, second), "gmw/en-US", 150, "en")[0]


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("stale text", "in this call pyttsx3 saved 'Call your nurse.' to"),
        ("leftover", "the file has"),
        ("other rate", "espeak-ng spoke it at 117 words per minute with gmw/en-US, not 150"),
        ("other voice", "espeak-ng spoke it at 150 words per minute with roa/es, not 150"),
    ],
)
def test_audio_of_another_sentence_or_call_never_passes(fault: str, why: str) -> None:
    """pyttsx3 has filed one call's audio under another's name: every utterance's file must
    hold exactly what espeak-ng delivered for its own text in that call, or the track is
    made again in a fresh worker, and after the last try it is an error.

    The error gives the last try's reason. On a busy machine espeak-ng has been seen to
    report its default rate (200) for a worker's first sentence, which the check refuses
    too (and names, if it happens on the last try); and a rate or voice set behind the
    engine's back has now and then not yet applied when the sentence was spoken
    (espeak-ng then reports, and the check accepts, the rate and voice asked for). So
    the fault is run up to three times: only those two faults may ever pass, and each
    fault must be named at least once."""
    reasons = []
    for _ in range(3):
        try:
            [pcm] = run_parallel(speak_with_a_fault, [fault], timeout=60, locale="en", describe=str)
        except SpeechError as caught:
            message = caught.message
            assert "not the audio of" in message and "4 tries" in message, message
            reasons.append(message)
            if why in message:
                break
        else:
            assert fault in {"other rate", "other voice"}, "a stale or leftover file passed"
            assert pcm.data, "no audio"
    assert any(why in reason for reason in reasons), reasons


def test_the_check_compares_text_file_and_samples_exactly(tmp_path: Path) -> None:
    from pipeline.audio.engine import Delivered, mismatch

    path = tmp_path / "000002.wav"
    pcm = Pcm(bytes(2 * 100), 22050)
    end, spoken = [("Rest.", str(path))], [(150, "gmw/en-US+f3")]
    good = Delivered(samples=100, ends=end, settings=spoken)

    def check(text: str, where: Path, audio: Pcm, delivered: Delivered) -> str | None:
        return mismatch(text, where, audio, delivered, "gmw/en-US+f3", 150)

    assert check("Rest.", path, pcm, good) is None
    assert "saved 'Rest.' to 000002.wav" in str(check("Drink.", path, pcm, good))
    assert check("Rest.", tmp_path / "000003.wav", pcm, good) is not None
    assert "99" in str(check("Rest.", path, Pcm(bytes(2 * 99), 22050), good))
    twice = Delivered(samples=100, ends=end * 2, settings=spoken * 2)
    assert "'Rest.' to 000002.wav; 'Rest.'" in str(check("Rest.", path, pcm, twice))
    dropped = Delivered(samples=100, dropped=5, ends=end, settings=spoken)
    assert "left out 5 samples" in str(check("Rest.", path, pcm, dropped))
    slow = Delivered(samples=100, ends=end, settings=[(117, "gmw/en-US+f3")])
    assert "at 117 words per minute" in str(check("Rest.", path, pcm, slow))
    other = Delivered(samples=100, ends=end, settings=[(150, "gmw/en")])
    assert "with gmw/en, not 150 with gmw/en-US+f3" in str(check("Rest.", path, pcm, other))


# -- sentence by sentence -----------------------------------------------------


def test_paragraphs_are_spoken_sentence_by_sentence_with_the_pause_after_the_last() -> None:
    intro = [u for s in script_of().sections if s.id == "intro" for u in s.utterances]
    assert [(u.text, u.sentence, u.pause) for u in intro[1:]] == [
        ("This short page is read aloud.", 0, 0),
        ("See the drug guide for more help.", 1, 600),
    ]
    assert {u.block for u in intro[1:]} == {"intro.p1"}


@pytest.mark.parametrize(
    ("markdown", "sentences"),
    [
        ("One. Two! Three? Four", ("One.", "Two!", "Three?", "Four")),
        ("Ask Dr. Lee, e.g. today. Then rest.", ("Ask Dr. Lee, e.g. today.", "Then rest.")),
        ("Take 1.5 mg. then rest.", ("Take 1.5 mg. then rest.",)),  # lower case: no new sentence
        ("**Stop. Call** now. Rest.", ("**Stop. Call** now.", "Rest.")),  # never inside bold
        ("See [a. B](https://x.org) here. Go.", ("See [a. B](https://x.org) here.", "Go.")),
        ("请休息。然后喝水！好", ("请休息。", "然后喝水！", "好")),
        ("هل أنت بخير؟ نعم.", ("هل أنت بخير؟", "نعم.")),
    ],
)
def test_sentences_are_cut_where_a_reader_would(markdown: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(markdown) == sentences


def speak_with_a_silent_sentence(text: str) -> tuple[tuple[int, int], ...]:
    """Run in a worker: a sentence, then one espeak-ng says nothing for."""
    first = Utterance("Take one tablet.", 300, "intro.p1", 5)
    silent = Utterance(text, 0, "intro.p3", 12, sentence=2)
    return synthesize((first, silent), "gmw/en-US", 150, "en")[1]


@pytest.mark.parametrize("text", [".", "…"])
def test_a_sentence_spoken_as_silence_is_an_error_naming_its_line_and_text(text: str) -> None:
    with pytest.raises(SpeechError) as caught:
        run_parallel(
            speak_with_a_silent_sentence,
            [text],
            timeout=60,
            locale="en",
            describe=lambda _: "section 'intro'",
        )
    error = caught.value
    assert (error.line, error.locale) == (12, "en")
    assert f"returned silence for {text!r}" in error.message and "section 'intro'" in error.message


def test_each_sentence_is_timed_where_its_speech_is() -> None:
    (spans,) = run_parallel(
        speak_with_a_silent_sentence, ["Then rest."], timeout=60, locale="en", describe=str
    )
    (begin1, end1), (begin2, end2) = spans
    assert 0 <= begin1 < end1 < begin2 < end2
    assert begin2 - end1 >= 22050 * 0.3  # the 300 ms pause at least (plus espeak-ng's own)


def speak_noting_the_reference(count: int) -> list[int]:
    """Run in a worker: a track of ``count`` ten-word utterances; how many of them each
    reference reading was given."""
    from pipeline.audio import synthesis

    read: list[int] = []
    real = synthesis.ReferenceReading

    def noting(
        utterances: tuple[Utterance, ...], voice: str, rate: int
    ) -> synthesis.ReferenceReading:
        read.append(len(utterances))
        return real(utterances, voice, rate)

    synthesis.ReferenceReading = noting  # type: ignore[assignment, misc]
    said = "Take tablet {} with a full glass of water today."
    track = tuple(Utterance(said.format(n + 1), 200, "x", n + 1) for n in range(count))
    synthesize(track, "gmw/en-US", 150, "en")
    return read


def test_the_reference_reads_the_first_fifteen_words_of_a_track() -> None:
    """The reference reading covers a track's first utterances up to 15 words (two of
    ten words here), or the whole of a shorter track."""
    assert run_parallel(
        speak_noting_the_reference, [8, 1], timeout=60, locale="en", describe=str
    ) == [[2], [1]]


def reference_pcm(utterances: tuple[Utterance, ...], voice: str, rate: int) -> Pcm:
    """The espeak-ng command's reading of ``utterances``, waited for."""
    reading = synthesis.ReferenceReading(utterances, voice, rate)
    try:
        return reading.pcm()
    finally:
        reading.close()


def test_a_track_spoken_at_another_rate_is_caught_by_the_reference() -> None:
    """The whole track is read once more by the espeak-ng command and the speech in both
    is measured (10 ms frames with sound): a track of the right speech length passes
    whatever its pauses, one spoken at another rate (seen under heavy load: 1.28 times
    as long) does not, and the message names the rate and the voice."""
    utterances = (
        Utterance("Take one tablet with water, then write down the time.", 500, "x", 1),
        Utterance("Call your nurse if you have a fever over 38 degrees.", 700, "y", 2),
        Utterance("Keep a list of your medicines with you.", 0, "z", 3),
    )
    right = reference_pcm(utterances, "en", 150)
    speech = sounding_frames(right.data, right.rate)
    assert 200 < speech < len(right.data) // 2 // (right.rate // 100)  # pauses left out
    assert reference_mismatch(right, right, "en", 150) is None
    longer_pauses = Pcm(right.data + bytes(2 * right.rate), right.rate)  # one more second
    assert reference_mismatch(right, longer_pauses, "en", 150) is None
    slow = reference_pcm(utterances, "en", 117)  # 150 / 117 = 1.28
    problem = reference_mismatch(right, slow, "en", 150)
    assert problem is not None
    assert "150 words per minute with en" in problem and "rate or voice" in problem
    fast = reference_pcm(utterances, "en", 190)
    assert reference_mismatch(right, fast, "en", 150) is not None
    quiet = array.array("h", [255, -256, 0] * 2200).tobytes()  # 0.3 s under -42 dBFS
    loud = array.array("h", [300, -300, 0] * 2200).tobytes()
    assert sounding_frames(quiet, 22050) == 0 and sounding_frames(loud, 22050) == 30


def test_the_reference_reading_runs_beside_the_track_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The espeak-ng command starts before the track is spoken and is read at its end;
    a command that cannot run is a SpeechError; its file is removed either way."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    tempfile.tempdir = None  # read TMPDIR again
    try:
        words = (Utterance("Drink a glass of water.", 200, "x", 1),)
        reading = synthesis.ReferenceReading(words, "gmw/en-US", 150)
        assert len(list(tmp_path.glob("carepack-reference-*.wav"))) == 1
        assert reading.pcm().seconds > 0.5
        reading.close()
        assert list(tmp_path.iterdir()) == []
        monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng to run
        with pytest.raises(SpeechError, match="the espeak-ng command failed"):
            synthesis.ReferenceReading(words, "gmw/en-US", 150)
        assert list(tmp_path.iterdir()) == []
    finally:
        tempfile.tempdir = None


def speak_late(delay: float) -> tuple[bool, bytes]:
    """Run in a worker: espeak-ng reports the end of each message ``delay`` seconds late
    (as on a busy machine); whether the engine's first call (its warm-up) had its file
    written when it returned, and one sentence spoken after it."""
    import time

    import pyttsx3

    from pipeline.audio import engine

    current = pyttsx3.init("espeak")  # the engine engine.engine() gets
    driver = current.proxy._driver
    on_synth = driver._onSynth

    def late(wav: object, samples: int, events: list[Any]) -> int:
        index = 0
        while events[index].type != 0:  # espeak-ng's end of the event list
            if events[index].type == 6:  # the end of a message
                time.sleep(delay)
            index += 1
        return int(on_synth(wav, samples, events))

    driver._onSynth = late
    assert engine.engine("gmw/en-US", 150) is current
    folder = engine._Engine.folder
    written = folder is not None and (folder / "000001.wav").exists()  # the warm-up's file
    sentence = Utterance("Take one tablet with water, then write down the time.", 0, "x", 1)
    return written, synthesize((sentence,), "gmw/en-US", 150, "en")[0].data


def test_a_call_returns_when_espeak_ng_has_ended_its_message() -> None:
    """pyttsx3's loop gave up after one 10 ms sleep whether or not espeak-ng had finished
    (an engine's first call returned before its file was written); a call now returns
    at the end of its message, however late, and the audio is the same."""
    (written_late, late), (written, prompt) = run_parallel(
        speak_late, [0.2, 0.0], timeout=60, locale="en", describe=str
    )
    assert written_late and written
    assert late == prompt and len(late) > 2 * 22050
