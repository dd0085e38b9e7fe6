<?xml version="1.0" encoding="UTF-8"?>
<!-- Spanish lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/es/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="es">
  <lexeme>
    <grapheme>p. ej.</grapheme>
    <alias>por ejemplo</alias>
  </lexeme>
  <lexeme>
    <grapheme>es dec.</grapheme>
    <alias>es decir</alias>
  </lexeme>
  <lexeme>
    <grapheme>etc.</grapheme>
    <alias>etcétera</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dr.</grapheme>
    <alias>doctor</alias>
  </lexeme>
  <lexeme>
    <grapheme>Dra.</grapheme>
    <alias>doctora</alias>
  </lexeme>
  <lexeme>
    <grapheme>aprox.</grapheme>
    <alias>aproximadamente</alias>
  </lexeme>
  <lexeme>
    <grapheme>EE. UU.</grapheme>
    <grapheme>EE.UU.</grapheme>
    <alias>Estados Unidos</alias>
  </lexeme>
  <lexeme>
    <grapheme>Ud.</grapheme>
    <alias>usted</alias>
  </lexeme>
  <lexeme>
    <grapheme>Uds.</grapheme>
    <alias>ustedes</alias>
  </lexeme>
  <lexeme>
    <grapheme>núm.</grapheme>
    <alias>número</alias>
  </lexeme>
  <lexeme>
    <grapheme>tel.</grapheme>
    <grapheme>Tel.</grapheme>
    <alias>teléfono</alias>
  </lexeme>
</lexicon>
