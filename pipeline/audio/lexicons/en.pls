<?xml version="1.0" encoding="UTF-8"?>
<!-- English lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/en/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en">
  <lexeme>
    <grapheme>e.g.</grapheme>
    <alias>for example</alias>
  </lexeme>
  <lexeme>
    <grapheme>i.e.</grapheme>
    <alias>that is</alias>
  </lexeme>
  <lexeme>
    <grapheme>etc.</grapheme>
    <alias>et cetera</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dr.</grapheme>
    <alias>Doctor</alias>
  </lexeme>
  <lexeme>
    <grapheme>approx.</grapheme>
    <alias>approximately</alias>
  </lexeme>
  <lexeme>
    <grapheme>vs.</grapheme>
    <alias>versus</alias>
  </lexeme>
  <lexeme>
    <grapheme>Tel.</grapheme>
    <grapheme>tel.</grapheme>
    <alias>telephone</alias>
  </lexeme>
</lexicon>
