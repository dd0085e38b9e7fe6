"""Locale codes, parsed by Babel before they are ever used in a path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import LocaleError

# What a gettext locale directory name may look like: ``es``, ``pt_BR``, ``zh_Hans``,
# ``sr_Latn_RS``. Checked before Babel so that ``../es`` never reaches a path.
_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


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
    plural_forms: str
    """The ``Plural-Forms`` header value from Babel's plural data."""
    num_plurals: int
    """How many plural forms the language has."""

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
    plural = get_plural(locale)
    return LocaleInfo(
        code=code,
        tag=code.replace("_", "-"),
        plural_forms=plural.plural_forms,
        num_plurals=plural.num_plurals,
    )


def locale_dir(locales_root: Path, code: str) -> Path:
    """``locales/<code>/LC_MESSAGES``, built only from a validated code."""
    info = parse_locale(code)
    return locales_root / info.code / "LC_MESSAGES"
