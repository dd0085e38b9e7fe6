<?xml version="1.0" encoding="UTF-8"?>
<!-- Russian lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/ru/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="ru">
  <lexeme>
    <grapheme>т. е.</grapheme>
    <grapheme>т.е.</grapheme>
    <alias>то есть</alias>
  </lexeme>
  <lexeme>
    <grapheme>и т. д.</grapheme>
    <grapheme>и т.д.</grapheme>
    <alias>и так далее</alias>
  </lexeme>
  <lexeme>
    <grapheme>и т. п.</grapheme>
    <grapheme>и т.п.</grapheme>
    <alias>и тому подобное</alias>
  </lexeme>
  <lexeme>
    <grapheme>напр.</grapheme>
    <alias>например</alias>
  </lexeme>
  <lexeme>
    <grapheme>прибл.</grapheme>
    <alias>приблизительно</alias>
  </lexeme>
  <lexeme>
    <grapheme>т. н.</grapheme>
    <grapheme>т.н.</grapheme>
    <alias>так называемый</alias>
  </lexeme>
  <lexeme>
    <grapheme>тел.</grapheme>
    <alias>телефон</alias>
  </lexeme>
  <lexeme>
    <grapheme>д-р</grapheme>
    <alias>доктор</alias>
  </lexeme>
</lexicon>
