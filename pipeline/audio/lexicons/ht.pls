<?xml version="1.0" encoding="UTF-8"?>
<!-- Haitian Creole lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/ht/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="ht">
  <lexeme>
    <grapheme>egz.</grapheme>
    <alias>egzanp</alias>
  </lexeme>
  <lexeme>
    <grapheme>pa egz.</grapheme>
    <alias>pa egzanp</alias>
  </lexeme>
  <lexeme>
    <grapheme>etc.</grapheme>
    <alias>elatriye</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dr.</grapheme>
    <alias>doktè</alias>
  </lexeme>
  <lexeme>
    <grapheme>apr.</grapheme>
    <alias>apeprè</alias>
  </lexeme>
</lexicon>
