<?xml version="1.0" encoding="UTF-8"?>
<!-- French lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/fr/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="fr">
  <lexeme>
    <grapheme>p. ex.</grapheme>
    <alias>par exemple</alias>
  </lexeme>
  <lexeme>
    <grapheme>c.-à-d.</grapheme>
    <grapheme>c-à-d</grapheme>
    <alias>c'est-à-dire</alias>
  </lexeme>
  <lexeme>
    <grapheme>etc.</grapheme>
    <alias>et cetera</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dr.</grapheme>
    <grapheme>Dr</grapheme>
    <alias>docteur</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dre</grapheme>
    <alias>docteure</alias>
  </lexeme>
  <lexeme>
    <grapheme>env.</grapheme>
    <alias>environ</alias>
  </lexeme>
  <lexeme>
    <grapheme>Mme</grapheme>
    <alias>madame</alias>
  </lexeme>
  <lexeme>
    <grapheme>tél.</grapheme>
    <grapheme>Tél.</grapheme>
    <alias>téléphone</alias>
  </lexeme>
  <lexeme>
    <grapheme>n°</grapheme>
    <alias>numéro</alias>
  </lexeme>
</lexicon>
