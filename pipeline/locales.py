"""Locale codes, parsed by Babel before they are ever used in a path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import LocaleError

# What a gettext locale directory name may look like: ``es``, ``pt_BR``, ``zh_Hans``,
# ``sr_Latn_RS``. Checked before Babel so that ``../es`` never reaches a path.
_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


# The Plural-Forms that GNU gettext 0.21's ``msginit`` writes (its plural table), which
# msgfmt, pofilter and most translators' tools expect. CLDR (Babel) adds a form for large
# round numbers in es, fr, it, pt ("1 million *de* ...") that gettext's integer ``n``
# cannot tell apart usefully in a health text, so GNU's table wins where it has the
# language; msginit has no entry for the others (ar, ht, zh, ...), which take CLDR's.
_EAST_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
GNU_PLURAL_FORMS = {
    "be": _EAST_SLAVIC,
    "bg": "nplurals=2; plural=(n != 1);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "da": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "el": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "eo": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "et": "nplurals=2; plural=(n != 1);",
    "fi": "nplurals=2; plural=(n != 1);",
    "fo": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "he": "nplurals=2; plural=(n != 1);",
    "hr": _EAST_SLAVIC,
    "hu": "nplurals=2; plural=(n != 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "nb": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
    "nn": "nplurals=2; plural=(n != 1);",
    "no": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "ru": _EAST_SLAVIC,
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "sr": _EAST_SLAVIC,
    "sv": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "uk": _EAST_SLAVIC,
    "vi": "nplurals=1; plural=0;",
}  # fmt: skip

# Other names a gettext runtime may be asked for: glibc, Python's ``gettext`` and most
# apps ask for ``zh_CN``/``zh_TW``, not the script codes that CLDR and carepack use.
# The compiled catalogs are written under these names too.
GETTEXT_ALIASES = {"zh_Hans": ("zh_CN",), "zh_Hant": ("zh_TW",)}


@dataclass(frozen=True)
class LocaleInfo:
    """Everything the pipeline needs to know about one language.

    The names and the direction come from the language's CLDR data, which Babel
    loads from disk the first time one of them is asked for (a command that only
    needs the code, such as an update with nothing to do, never loads it).
    """

    code: str
    """The gettext code, also the directory name: ``zh_Hans``."""
    tag: str
    """The BCP 47 tag for HTML ``lang`` and audio tags: ``zh-Hans``."""

    @cached_property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header value: GNU ``msginit``'s where it has the language,
        else CLDR's (Babel's catalog support, loaded only when it is asked for)."""
        known = GNU_PLURAL_FORMS.get(self.code) or GNU_PLURAL_FORMS.get(self.code.split("_")[0])
        if known:
            return known
        from babel.messages.plurals import get_plural

        return str(get_plural(self.babel).plural_forms)

    @cached_property
    def num_plurals(self) -> int:
        """How many plural forms the language has."""
        return int(self.plural_forms.split("nplurals=", 1)[1].split(";", 1)[0])

    @cached_property
    def native_name(self) -> str:
        """The language's name in itself, from CLDR: ``中文 (简体)``."""
        return self.babel.get_display_name(self.babel) or self.code

    @cached_property
    def english_name(self) -> str:
        """The language's name in English: ``Chinese (Simplified)``."""
        return self.babel.get_display_name(Locale("en")) or self.code

    @cached_property
    def direction(self) -> str:
        """``ltr`` or ``rtl``."""
        return str(self.babel.text_direction)

    @property
    def babel(self) -> Locale:
        """The Babel :class:`Locale` (for dates and numbers)."""
        return Locale.parse(self.code)

    def name_in(self, other: LocaleInfo) -> str:
        """This language's name in ``other``'s language."""
        name = self.babel.get_display_name(other.babel)
        return name or self.english_name


@cache
def parse_locale(code: str) -> LocaleInfo:
    """Parse and validate a locale code; raise :class:`LocaleError` if unknown.

    The code must be in gettext form (``zh_Hans``, ``pt_BR``) and known to
    Babel's CLDR data; it is returned unchanged as :attr:`LocaleInfo.code`.
    """
    if not isinstance(code, str) or not _CODE.match(code):
        raise LocaleError(
            f"malformed locale code {code!r}: expected a gettext code such as "
            "'es', 'pt_BR' or 'zh_Hans'"
        )
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError) as error:
        raise LocaleError(f"unknown locale {code!r}: {error}") from error
    if str(locale) != code:
        raise LocaleError(f"locale {code!r} is not in canonical form; use {str(locale)!r}")
    return LocaleInfo(code=code, tag=code.replace("_", "-"))


def locale_dir(locales_root: Path, code: str) -> Path:
    """``locales/<code>/LC_MESSAGES``, built only from a validated code."""
    info = parse_locale(code)
    return locales_root / info.code / "LC_MESSAGES"
