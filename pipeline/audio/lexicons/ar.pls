<?xml version="1.0" encoding="UTF-8"?>
<!-- Arabic lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/ar/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="ar">
  <lexeme>
    <grapheme>إلخ</grapheme>
    <grapheme>الخ</grapheme>
    <alias>إلى آخره</alias>
  </lexeme>
  <lexeme>
    <grapheme>د.</grapheme>
    <alias>الدكتور</alias>
  </lexeme>
  <lexeme>
    <grapheme>ت.</grapheme>
    <alias>هاتف</alias>
  </lexeme>
</lexicon>
