"""espeak-ng's phonemes, in process, through its C library (``espeak_TextToPhonemes``).

The phoneme lint asks for the phonemes of every utterance of every locale on each
``carepack check``; one library call per clause takes microseconds, where starting an
``espeak-ng -x`` process per utterance would take milliseconds. The output is the one
``espeak-ng -q -x`` prints (eSpeak's ASCII phoneme names), including the marks such as
``(en)`` where the voice switches to another language's rules and back.

The library is initialised once per process, for phonemes only (no audio device), and
calls are serialised by a lock. Synthesis never happens here: it runs in worker
processes of its own (:mod:`pipeline.audio.workers`), each with a fresh engine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Sequence
from functools import cache

from ..errors import SpeechError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_PHONEMES_ASCII = 0
_LOCK = threading.Lock()


class _Voice(ctypes.Structure):
    """``espeak_VOICE`` from ``speak_lib.h``."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


@cache
def espeak_library_name() -> str:
    """The name libespeak-ng is loaded by: ``ctypes.util.find_library``'s answer, asked
    once a process (it runs ``ldconfig -p``: a fork of the whole build, which the
    changed language's review waited for twice before its first track)."""
    return ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"


@cache
def _library() -> ctypes.CDLL:
    """libespeak-ng, initialised for phonemes (once per process)."""
    name = espeak_library_name()
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise SpeechError(
            f"the espeak-ng library is not installed ({error}); install libespeak-ng1"
        ) from None
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_TextToPhonemes.argtypes = [
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_int,
        ctypes.c_int,
    ]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_DONT_EXIT) < 0:
        raise SpeechError("espeak-ng could not be initialised (is espeak-ng-data installed?)")
    return lib


@cache
def voices() -> dict[str, tuple[str, ...]]:
    """espeak-ng's voices: identifier (lower case) → its languages (``zh-cmn``, ``zh``)."""
    with _LOCK:
        table = _library().espeak_ListVoices(None)
        result: dict[str, tuple[str, ...]] = {}
        index = 0
        while table[index]:
            voice = table[index].contents
            identifier = (voice.identifier or b"").decode("utf-8", "replace").lower()
            result[identifier] = _languages(voice.languages)
            index += 1
    return result


def _languages(pointer: int | None) -> tuple[str, ...]:
    """The ``languages`` field: (priority byte, name, NUL) repeated, then a zero byte."""
    found: list[str] = []
    if not pointer:
        return ()
    offset = 0
    while ctypes.c_ubyte.from_address(pointer + offset).value:
        name = ctypes.string_at(pointer + offset + 1)
        found.append(name.decode("utf-8", "replace").lower())
        offset += len(name) + 2
    return tuple(found)


def phonemes(texts: Sequence[str], voice: str) -> list[str]:
    """What ``espeak-ng -q -x -v VOICE`` prints for each text (clauses joined by spaces).

    ``voice`` may carry a variant (``gmw/en-US+f3``). Raise :class:`SpeechError` if
    espeak-ng has no such voice.
    """
    with _LOCK:
        lib = _library()
        if lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
            raise SpeechError(f"espeak-ng has no voice {voice!r} (`espeak-ng --voices`)")
        return [_text_to_phonemes(lib, text) for text in texts]


def _text_to_phonemes(lib: ctypes.CDLL, text: str) -> str:
    buffer = ctypes.create_string_buffer(text.encode("utf-8"))
    pointer = ctypes.c_void_p(ctypes.addressof(buffer))
    clauses: list[str] = []
    while pointer.value:
        result = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_ASCII)
        clauses.append((result or b"").decode("utf-8", "replace").strip())
    return " ".join(clause for clause in clauses if clause)
