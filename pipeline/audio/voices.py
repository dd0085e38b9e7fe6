"""Which espeak-ng voice speaks each language: a table from CLDR locale codes (in gettext
form, as ``carepack.toml`` writes them) to espeak-ng voice ids.

The table covers every language of ``espeak-ng --voices`` (1.51) that Babel's CLDR data
knows; the tests derive it again from ``espeak-ng --voices`` and compare. Languages that
espeak-ng speaks under a code CLDR does not use are mapped by hand (``zh_Hans`` is
Mandarin, ``sit/cmn-Latn-pinyin``, which reads Chinese characters). A code that is not in
the table falls back to its language and script, then to its language (``pt_AO`` →
``pt``); a language espeak-ng cannot speak has no default voice (no audio is made for it,
and the page, the pack and the index say so).
"""

from __future__ import annotations

ESPEAK_VOICES: dict[str, str] = {
    "af": "gmw/af",
    "am": "sem/am",
    "an": "roa/an",
    "ar": "sem/ar",
    "as": "inc/as",
    "az": "trk/az",
    "ba": "trk/ba",
    "be": "zle/be",
    "bg": "zls/bg",
    "bn": "inc/bn",
    "bs": "zls/bs",
    "ca": "roa/ca",
    "cs": "zlw/cs",
    "cv": "trk/cv",
    "cy": "cel/cy",
    "da": "gmq/da",
    "de": "gmw/de",
    "el": "grk/el",
    "en": "gmw/en-US",
    "en_GB": "gmw/en",
    "en_US": "gmw/en-US",
    "eo": "art/eo",
    "es": "roa/es",
    "es_419": "roa/es-419",
    "et": "urj/et",
    "eu": "eu",
    "fa": "ira/fa",
    "fi": "urj/fi",
    "fr": "roa/fr",
    "fr_BE": "roa/fr-BE",
    "fr_CH": "roa/fr-CH",
    "fr_FR": "roa/fr",
    "ga": "cel/ga",
    "gd": "cel/gd",
    "gn": "sai/gn",
    "gu": "inc/gu",
    "haw": "map/haw",
    "he": "sem/he",
    "hi": "inc/hi",
    "hr": "zls/hr",
    "ht": "roa/ht",
    "hu": "urj/hu",
    "hy": "ine/hy",
    "ia": "art/ia",
    "id": "poz/id",
    "io": "art/io",
    "is": "gmq/is",
    "it": "roa/it",
    "ja": "jpx/ja",
    "jbo": "art/jbo",
    "ka": "ccs/ka",
    "kk": "trk/kk",
    "kl": "esx/kl",
    "kn": "dra/kn",
    "ko": "ko",
    "kok": "inc/kok",
    "ku": "ira/ku",
    "ky": "trk/ky",
    "la": "itc/la",
    "lb": "gmw/lb",
    "lt": "bat/lt",
    "ltg": "bat/ltg",
    "lv": "bat/lv",
    "mi": "poz/mi",
    "mk": "zls/mk",
    "ml": "dra/ml",
    "mr": "inc/mr",
    "ms": "poz/ms",
    "mt": "sem/mt",
    "my": "sit/my",
    "nb": "gmq/nb",
    "ne": "inc/ne",
    "nl": "gmw/nl",
    "om": "cus/om",
    "or": "inc/or",
    "pa": "inc/pa",
    "pap": "roa/pap",
    "pl": "zlw/pl",
    "pt": "roa/pt",
    "pt_BR": "roa/pt-BR",
    "qu": "qu",
    "quc": "myn/quc",
    "ro": "roa/ro",
    "ru": "zle/ru",
    "sd": "inc/sd",
    "shn": "tai/shn",
    "si": "inc/si",
    "sk": "zlw/sk",
    "sl": "zls/sl",
    "smj": "urj/smj",
    "sq": "ine/sq",
    "sr": "zls/sr",
    "sv": "gmq/sv",
    "sw": "bnt/sw",
    "ta": "dra/ta",
    "te": "dra/te",
    "th": "tai/th",
    "tk": "trk/tk",
    "tn": "bnt/tn",
    "tr": "trk/tr",
    "tt": "trk/tt",
    "ug": "trk/ug",
    "uk": "zle/uk",
    "ur": "inc/ur",
    "uz": "trk/uz",
    "vi": "aav/vi",
    "yue": "sit/yue",
    # Mandarin: espeak-ng's "cmn" is not a CLDR code. sit/cmn-Latn-pinyin reads the
    # characters (simplified and traditional) as Mandarin; sit/cmn spells them out.
    "zh": "sit/cmn-Latn-pinyin",
    "zh_Hans": "sit/cmn-Latn-pinyin",
    "zh_Hant": "sit/cmn-Latn-pinyin",
}
"""CLDR code → espeak-ng voice id, for every language espeak-ng speaks that CLDR knows."""


def default_voice(code: str) -> str | None:
    """The espeak-ng voice for a gettext locale code, or ``None`` if none speaks it.

    Tries the code, then its language and script, then its language:
    ``pt_BR`` → ``roa/pt-BR``; ``pt_AO`` → ``roa/pt``; ``zh_Hans_SG`` → Mandarin.
    """
    parts = code.split("_")
    candidates = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    return next((ESPEAK_VOICES[c] for c in candidates if c in ESPEAK_VOICES), None)
