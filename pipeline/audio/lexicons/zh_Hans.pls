<?xml version="1.0" encoding="UTF-8"?>
<!-- Chinese (Simplified) lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/zh_Hans/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="zh-Hans">
  <lexeme>
    <grapheme>vs.</grapheme>
    <grapheme>VS</grapheme>
    <alias>对比</alias>
  </lexeme>
  <lexeme>
    <grapheme>WHO</grapheme>
    <alias>世界卫生组织</alias>
  </lexeme>
</lexicon>
