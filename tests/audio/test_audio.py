"""The audio of a document as a listener gets it: tracks, full-length file, playlist, cache.

Every built MP3 is decoded with LAME's own decoder and measured with SoX.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from pipeline.audio.album import FULL_NAME, PLAYLIST_NAME
from pipeline.audio.engine import Pcm
from pipeline.audio.mp3 import ENCODE_PIECE, QUALITY, TrackEncoder, encode, join, parse_stream
from pipeline.audio.script import spoken_script
from pipeline.audio.tracks import build_audio
from pipeline.config import SpeechConfig, load_config
from pipeline.errors import SpeechError
from pipeline.project import Project
from pipeline.source.document import Document
from pipeline.source.parse import parse_document, read_document

from ..conftest import Built, localized

ROOT = Path(__file__).resolve().parents[2]
TINY = Path(__file__).resolve().parents[1] / "data" / "speech" / "tiny.md"
SPEECH = SpeechConfig()
MIN_PER_WORD, MAX_PER_WORD = 0.15, 1.2


def build(
    doc: Document,
    code: str,
    root: Path,
    *,
    project: Project | None = None,
    speech: SpeechConfig = SPEECH,
    cache: Path | None = None,
) -> Built:
    translated, ui = localized(doc, code, project)
    out = root / code / "audio"
    cache = cache or root / "cache"
    result = build_audio(translated, ui, speech.voice_for(code), speech, out, cache)
    return Built(result, spoken_script(translated, ui), out, cache)


def decode(path: Path) -> tuple[float, float]:
    """Length in seconds and RMS level in dB of an MP3, decoded by ``lame --decode``."""
    wav = path.with_suffix(".decoded.wav")
    try:
        subprocess.run(["lame", "--decode", "--silent", str(path), str(wav)], check=True)
        stats = subprocess.run(
            ["sox", str(wav), "-n", "stats"], capture_output=True, text=True, check=True
        ).stderr
    finally:
        wav.unlink(missing_ok=True)
    values = dict(re.findall(r"^(RMS lev dB|Length s)\s+(\S+)", stats, re.MULTILINE))
    return float(values["Length s"]), float(values["RMS lev dB"])


def check_listenable(built: Built) -> None:
    """Every track decodes, is not silent, and lasts as long as its words need."""
    assert len(built.result.tracks) == len(built.script.sections)
    for track, section in zip(built.result.tracks, built.script.sections, strict=True):
        path = built.out.parent / track.href
        seconds, level = decode(path)
        assert level > -35, f"{path.name} is silent ({level} dB)"
        assert abs(seconds - track.seconds) < 0.2
        pauses = section.pauses / 1000
        low = pauses + MIN_PER_WORD * section.words
        high = pauses + MAX_PER_WORD * section.words + 0.5
        assert low <= seconds <= high, f"{path.name}: {seconds} s for {section.words} words"


def check_tags(built: Built, language: str) -> None:
    count = len(built.result.tracks)
    for number, track in enumerate(built.result.tracks, start=1):
        path = built.out.parent / track.href
        assert re.fullmatch(rf"{number:02d}-{track.section}\.mp3", path.name)
        tags = ID3(path)
        assert tags["TIT2"].text == [track.title]
        assert tags["TALB"].text == [built.script.title]
        assert tags["TRCK"].text == [f"{number}/{count}"]
        assert tags["TLAN"].text == [language]
        assert tags["TPE1"].text == ["carepack"]
        assert not tags.getall("TDRC") and not tags.getall("TDEN")  # no dates: reproducible
        info = MP3(path).info
        assert info.channels == 1 and info.sample_rate in (22050, 24000)
        assert info.bitrate == SPEECH.bitrate * 1000


def check_chapters(built: Built) -> None:
    path = built.out / FULL_NAME
    seconds, level = decode(path)
    assert level > -35
    assert abs(seconds - built.result.full_seconds) < 0.2
    tags = ID3(path)
    toc = tags.getall("CTOC")
    assert len(toc) == 1 and toc[0].flags == 3  # top level, ordered
    ids = list(toc[0].child_element_ids)
    assert ids == [s.id for s in built.script.sections]
    chapters = [tags[f"CHAP:{element}"] for element in ids]
    in_file = [frame.element_id for frame in tags.getall("CHAP")]  # the order players list
    assert in_file == ids, "CHAP frames are not in time order in the file"
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [
        s.title for s in built.script.sections
    ]
    assert chapters[0].start_time == 0
    for before, after in itertools.pairwise(chapters):
        assert before.end_time == after.start_time
    assert abs(chapters[-1].end_time - seconds * 1000) < 100
    for chapter, track in zip(chapters, built.result.tracks, strict=True):
        assert chapter.end_time - chapter.start_time >= track.seconds * 1000 - 1


def check_disclaimer(built: Built) -> None:
    last = built.result.tracks[-1]
    assert last.disclaimer and last.section == "disclaimer"
    assert (built.out.parent / last.href).is_file()
    assert sum(track.disclaimer for track in built.result.tracks) == 1


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(read_document(TINY), "en", tmp_path_factory.mktemp("tiny"))


def test_every_track_is_speech_of_a_plausible_length(tiny: Built) -> None:
    assert tiny.result.synthesized == len(tiny.script.sections) and tiny.result.cached == 0
    check_listenable(tiny)


def test_tracks_are_tagged(tiny: Built) -> None:
    check_tags(tiny, "eng")


def test_the_full_length_file_has_a_chapter_per_section(tiny: Built) -> None:
    check_chapters(tiny)
    tags = ID3(tiny.out / FULL_NAME)
    assert tags["TIT2"].text == ["Full recording"]
    assert tags["TALB"].text == ["Taking Your Tablets"]
    assert tiny.result.full_href == f"audio/{FULL_NAME}"


def test_the_disclaimer_has_its_own_track_last(tiny: Built) -> None:
    check_disclaimer(tiny)


def test_the_playlist_lists_every_track_with_title_and_length(tiny: Built) -> None:
    text = (tiny.out / PLAYLIST_NAME).read_bytes().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [
        (lines[i], lines[i + 1]) for i, line in enumerate(lines) if line.startswith("#EXTINF")
    ]
    assert len(entries) == len(tiny.result.tracks)
    for (info, name), track in zip(entries, tiny.result.tracks, strict=True):
        assert info == f"#EXTINF:{round(track.seconds)},{track.title}"
        assert name == Path(track.href).name and (tiny.out / name).is_file()
    assert tiny.result.playlist_href == f"audio/{PLAYLIST_NAME}"


def test_a_second_build_synthesizes_nothing_and_changes_no_byte(tiny: Built) -> None:
    before = {path.name: path.read_bytes() for path in tiny.out.iterdir()}
    again = build(read_document(TINY), "en", tiny.out.parent.parent)
    assert again.result.synthesized == 0
    assert again.result.cached == len(tiny.script.sections)
    assert {path.name: path.read_bytes() for path in tiny.out.iterdir()} == before


def test_the_same_input_gives_the_same_bytes_without_a_cache(tiny: Built, tmp_path: Path) -> None:
    fresh = build(read_document(TINY), "en", tmp_path)
    assert fresh.result.synthesized == len(tiny.script.sections)
    for path in tiny.out.iterdir():
        assert (fresh.out / path.name).read_bytes() == path.read_bytes(), path.name


def test_only_a_changed_section_is_spoken_again(tiny: Built, tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace("Write down the time.", "Note the time.")
    changed = build(parse_document(text, TINY), "en", tmp_path, cache=tiny.cache)
    assert changed.result.synthesized == 1
    assert changed.result.cached == len(tiny.script.sections) - 1


def test_a_different_rate_is_a_different_sound(tiny: Built, tmp_path: Path) -> None:
    slower = SpeechConfig(rate=120)
    built = build(read_document(TINY), "en", tmp_path, speech=slower, cache=tiny.cache)
    assert built.result.synthesized == len(tiny.script.sections)
    assert built.result.total_seconds > tiny.result.total_seconds


def test_a_missing_voice_fails_that_locale_while_the_others_build(tmp_path: Path) -> None:
    speech = SpeechConfig(voices={"es": "roa/no-such-voice"})
    doc = read_document(TINY)
    built: dict[str, Built] = {}
    errors: dict[str, SpeechError] = {}
    for code in ("es", "en"):
        try:
            built[code] = build(doc, code, tmp_path, speech=speech)
        except SpeechError as error:
            errors[code] = error
    assert list(errors) == ["es"] and list(built) == ["en"]
    message = str(errors["es"])
    assert errors["es"].locale == "es"
    assert "'roa/no-such-voice'" in message and "roa/es" in message
    assert not list((tmp_path / "es").glob("**/*.mp3"))
    check_listenable(built["en"])


def test_a_locale_without_a_voice_is_an_error(tmp_path: Path) -> None:
    translated, ui = localized(read_document(TINY), "en", None)
    with pytest.raises(SpeechError, match=r"no espeak-ng voice .* for en"):
        build_audio(translated, ui, None, SPEECH, tmp_path / "audio", tmp_path / "cache")


def test_stale_tracks_are_removed_and_other_files_kept(tiny: Built, tmp_path: Path) -> None:
    out = tmp_path / "en" / "audio"
    out.mkdir(parents=True)
    (out / "07-removed-section.mp3").write_bytes(b"old")
    (out / "notes.txt").write_text("kept")
    build(read_document(TINY), "en", tmp_path, cache=tiny.cache)
    assert not (out / "07-removed-section.mp3").exists()
    assert (out / "notes.txt").exists()


def test_mp3_streams_are_checked_frame_by_frame(tiny: Built) -> None:
    data = ID3(tiny.out / "01-intro.mp3")  # the tag is in front of the frames
    raw = (tiny.out / "01-intro.mp3").read_bytes()[data.size :]
    stream = parse_stream(raw)
    assert abs(stream.seconds - tiny.result.tracks[0].seconds) < 1e-9
    assert join([stream, stream]).frames == 2 * stream.frames
    for broken in (b"", b"ID3" + raw, raw[:-10]):
        with pytest.raises(ValueError):
            parse_stream(broken)


def test_encoding_in_pieces_gives_the_bytes_of_one_call() -> None:
    import array
    import math

    import lameenc

    # Three and a half pieces of a tone that rises and falls, and a silent stretch.
    count = ENCODE_PIECE * 7 // 4
    samples = array.array(
        "h", (int(9000 * math.sin(i / 7 + math.sin(i / 900))) for i in range(count))
    )
    samples.extend([0] * 5000)
    pcm = Pcm(samples.tobytes(), 22050)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(48)
    encoder.set_in_sample_rate(22050)
    encoder.set_channels(1)
    encoder.set_quality(QUALITY)
    whole = bytes(encoder.encode(pcm.data)) + bytes(encoder.flush())
    assert len(pcm.data) > 3 * ENCODE_PIECE
    assert encode(pcm, 48).data == whole
    # Fed in pieces of any length (utterances and pauses).
    streaming = TrackEncoder(48)
    cuts = [0, 1000, 1002, ENCODE_PIECE + 6, 2 * ENCODE_PIECE, len(pcm.data)]
    for start, end in itertools.pairwise(cuts):
        streaming.feed(pcm.data[start:end], 22050)
    assert streaming.finish().data == whole


def test_a_track_encoder_refuses_a_new_sample_rate_and_an_empty_track() -> None:
    encoder = TrackEncoder(48)
    encoder.feed(bytes(2000), 22050)
    with pytest.raises(ValueError, match="sample rate changed"):
        encoder.feed(bytes(2000), 16000)
    with pytest.raises(ValueError, match="empty"):
        TrackEncoder(48).finish()


# -- the shipped article, end to end: English and one other language ----------


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    project = Project(load_config(ROOT))  # the shipped catalogs, read only
    doc = next(d for d in project.documents() if d.id == "myeloma-second-line")
    root = tmp_path_factory.mktemp("article")
    return {code: build(doc, code, root, project=project) for code in ("en", "es")}


@pytest.mark.parametrize(("code", "language"), [("en", "eng"), ("es", "spa")])
@pytest.mark.parametrize(
    "check", [check_listenable, check_chapters, check_disclaimer], ids=lambda f: f.__name__
)
def test_the_article_is_listenable_end_to_end(
    article: dict[str, Built], code: str, language: str, check: Callable[[Built], None]
) -> None:
    check(article[code])
    check_tags(article[code], language)
    assert article[code].result.minutes >= 3
