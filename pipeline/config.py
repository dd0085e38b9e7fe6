"""The project's settings, from ``carepack.toml`` at the project root.

Every value is validated here, with the file and line of the offending key,
so that later stages can trust what they are given.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audio.voices import ESPEAK_VOICES, default_voice
from .errors import ConfigError, LocaleError
from .locales import parse_locale

CONFIG_NAME = "carepack.toml"
SCHEDULER_ADDRESS = re.compile(r"^(?:tcp|tls|ws|wss)://[A-Za-z0-9._\[\]:-]+:[0-9]{1,5}$")
"""A Dask scheduler's address: ``tcp://host:8786`` (``tls``, ``ws``, ``wss`` too)."""
_PUBLISH_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^\s?#]*)?$")

#: The default voices of the shipped languages (their speech is checked by the tests);
#: every other language's default comes from :data:`pipeline.audio.voices.ESPEAK_VOICES`.
DEFAULT_VOICES: dict[str, str] = {
    code: ESPEAK_VOICES[code] for code in ("en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr")
}


@dataclass(frozen=True)
class SpeechConfig:
    """How the audio is made."""

    rate: int = 150
    """Words per minute; espeak-ng's default is 175, slower is easier to follow."""
    bitrate: int = 48
    """MP3 bitrate in kbit/s (mono speech)."""
    voices: dict[str, str] = field(default_factory=dict)
    """Per-locale espeak-ng voice ids, overriding the defaults (:func:`default_voice`)."""
    timeout: float = 120.0
    """Seconds one track may take to synthesize before it counts as a hang."""

    def voice_for(self, code: str) -> str | None:
        """The configured (or default) voice for a locale; ``None``: no voice speaks it."""
        return self.voices.get(code) or default_voice(code)


@dataclass(frozen=True)
class MemoryConfig:
    """How ``carepack update`` fills empty entries from translation memory."""

    similarity: float = 0.6
    """Least similarity (0.5 to 1) for a close match, filled fuzzy; GNU msgmerge's is 0.6."""
    compendia: tuple[Path, ...] = ()
    """PO files from elsewhere (another project's catalogs, a service's compendium), each
    used for the language of its ``Language`` header, after the project's own catalogs."""


@dataclass(frozen=True)
class Config:
    """The validated ``carepack.toml``."""

    root: Path
    """The project directory (where ``carepack.toml`` is)."""
    source_language: str = "en"
    """The master texts' language."""
    locales: tuple[str, ...] = ()
    """The target languages to publish, as validated gettext codes."""
    reading_level_target: float = 8.0
    """Default US grade level a text should not exceed."""
    completeness_threshold: float = 100.0
    """Percent of a document's entries that must be translated to publish a locale."""
    strict: bool = False
    """Whether a pending locale (translation not done yet) fails the build, as
    ``carepack build --strict`` does: for a release pipeline."""
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    """Audio settings."""
    memory: MemoryConfig = field(default_factory=MemoryConfig)
    """Translation memory settings."""
    project_name: str = "carepack"
    """Named as ``Last-Translator`` and in pack metadata."""
    bugs_address: str = ""
    """``Report-Msgid-Bugs-To`` in the POT headers."""
    publish_url: str | None = None
    """Where ``output/`` is published (``https://…/``): the handout then carries a QR code to
    its page. ``None`` (the default): a pack works offline and points nowhere."""
    scheduler: str | None = None
    """``[build] scheduler``: the Dask scheduler that builds each locale's outputs
    (``tcp://host:8786``); ``None`` (the default): the build runs on this machine."""

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "carepack"

    def all_languages(self) -> list[str]:
        """The source language followed by every target locale."""
        return [self.source_language, *self.locales]


def toml_line(text: str, key: str) -> int | None:
    """Best-effort line of ``key = ...`` (bare or quoted) or ``[key]`` in TOML text,
    for messages (tomllib does not keep positions)."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:\"{name}\"|'{name}'|{name})\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line) or line.strip() == f"[{key}]":
            return number
    return None


def load_config(root: Path) -> Config:
    """Read and validate ``root/carepack.toml``."""
    path = root / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("no carepack.toml: is this a carepack project?", path) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"cannot read the file ({reason}); check its permissions", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"not UTF-8 text (byte {raw[error.start]:#04x}); save the file as UTF-8", path, bad_line
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise ConfigError(
            f"invalid TOML: {error}", path, int(found[1]) if found else None
        ) from None
    return parse_config(data, root, path, text)


def parse_config(data: dict[str, Any], root: Path, path: Path, text: str = "") -> Config:
    """Validate a parsed TOML table into a :class:`Config`."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", path, toml_line(text, key.split(".")[-1]))

    known = {
        "source_language",
        "locales",
        "reading_level_target",
        "completeness_threshold",
        "strict",
        "speech",
        "memory",
        "project_name",
        "bugs_address",
        "publish_url",
        "build",
    }
    for key in data:
        if key not in known:
            raise fail(key, f"unknown setting (known: {', '.join(sorted(known))})")

    def locale(key: str, value: Any) -> str:
        try:
            return parse_locale(value).code
        except LocaleError as error:
            raise fail(key, error.message) from None

    source = locale("source_language", data.get("source_language", "en"))
    raw_locales = data.get("locales", [])
    if not isinstance(raw_locales, list):
        raise fail("locales", "must be a list of locale codes")
    codes = tuple(locale("locales", value) for value in raw_locales)
    if len(set(codes)) != len(codes):
        raise fail("locales", "a locale is listed twice")
    if source in codes:
        raise fail("locales", f"the source language {source!r} is not a target locale")

    def integer(key: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(key, f"must be a whole number, not {value!r}")
        return int(number(key, value, low, high))

    def number(key: str, value: Any, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(key, f"must be a number, not {value!r}")
        if not low <= value <= high:
            raise fail(key, f"must be between {low:g} and {high:g}, not {value!r}")
        return float(value)

    target = number("reading_level_target", data.get("reading_level_target", 8), 1, 20)
    threshold = number("completeness_threshold", data.get("completeness_threshold", 100), 0, 100)

    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise fail("strict", f"must be true or false, not {strict!r}")

    speech_data = data.get("speech", {})
    if not isinstance(speech_data, dict):
        raise fail("speech", "must be a table")
    for key in speech_data:
        if key not in {"rate", "bitrate", "voices", "timeout"}:
            raise fail(f"speech.{key}", "unknown setting (known: bitrate, rate, timeout, voices)")
    rate = integer("speech.rate", speech_data.get("rate", 150), 80, 400)
    bitrate = integer("speech.bitrate", speech_data.get("bitrate", 48), 8, 320)
    if bitrate not in {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}:
        raise fail("speech.bitrate", f"{bitrate} is not an MP3 bitrate")
    timeout = number("speech.timeout", speech_data.get("timeout", 120), 1, 3600)
    voices_data = speech_data.get("voices", {})
    if not isinstance(voices_data, dict):
        raise fail("speech.voices", "must be a table of locale = voice id")
    voices: dict[str, str] = {}
    for code, voice in voices_data.items():
        code = locale("speech.voices", code)
        if not isinstance(voice, str) or not voice.strip():
            raise fail(code, "voice must be a non-empty espeak-ng voice id")
        voices[code] = voice
    memory_data = data.get("memory", {})
    if not isinstance(memory_data, dict):
        raise fail("memory", "must be a table")
    for key in memory_data:
        if key not in {"similarity", "compendia"}:
            raise fail(f"memory.{key}", "unknown setting (known: compendia, similarity)")
    similarity = number("memory.similarity", memory_data.get("similarity", 0.6), 0.5, 1)
    compendia = memory_data.get("compendia", [])
    if not isinstance(compendia, list) or not all(
        isinstance(item, str) and item.strip() for item in compendia
    ):
        raise fail("memory.compendia", "must be a list of PO file paths")
    name = data.get("project_name", "carepack")
    bugs = data.get("bugs_address", "")
    if not isinstance(name, str) or not isinstance(bugs, str):
        raise fail("project_name", "must be text")
    publish_url = data.get("publish_url")
    if publish_url is not None and (
        not isinstance(publish_url, str)
        or not _PUBLISH_URL.match(publish_url)
        or any(c in publish_url for c in "\"'<>\\ ")
    ):
        raise fail(
            "publish_url",
            f"must be an http(s) address such as https://example.org/care/, not {publish_url!r}",
        )
    build_data = data.get("build", {})
    if not isinstance(build_data, dict):
        raise fail("build", "must be a table")
    for key in build_data:
        if key != "scheduler":
            raise fail(f"build.{key}", "unknown setting (known: scheduler)")
    scheduler = build_data.get("scheduler")
    if scheduler is not None and (
        not isinstance(scheduler, str) or not SCHEDULER_ADDRESS.match(scheduler)
    ):
        raise fail(
            "build.scheduler",
            f"must be a Dask scheduler address such as tcp://host:8786, not {scheduler!r}",
        )
    return Config(
        root=root,
        source_language=source,
        locales=codes,
        reading_level_target=target,
        completeness_threshold=threshold,
        strict=strict,
        speech=SpeechConfig(rate=rate, bitrate=bitrate, voices=voices, timeout=timeout),
        memory=MemoryConfig(similarity, tuple(root / item for item in compendia)),
        project_name=name,
        bugs_address=bugs,
        publish_url=publish_url,
        scheduler=scheduler,
    )
