<?xml version="1.0" encoding="UTF-8"?>
<!-- Vietnamese lexicon for carepack's audio (W3C Pronunciation Lexicon Specification 1.0).
     Each lexeme's graphemes are replaced by its <alias> before espeak-ng speaks.
     Graphemes match whole words, case-sensitively (a lower-case grapheme also matches
     with a capital first letter). Add entries here, or in a project's
     locales/vi/lexicon.pls, whose entries override these. -->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="vi">
  <lexeme>
    <grapheme>v.v.</grapheme>
    <alias>vân vân</alias>
  </lexeme>
  <lexeme>
    <grapheme>BS.</grapheme>
    <alias>bác sĩ</alias>
  </lexeme>
  <lexeme>
    <grapheme>TS.</grapheme>
    <alias>tiến sĩ</alias>
  </lexeme>
  <lexeme>
    <grapheme>ThS.</grapheme>
    <alias>thạc sĩ</alias>
  </lexeme>
  <lexeme>
    <grapheme>VD:</grapheme>
    <alias>ví dụ:</alias>
  </lexeme>
  <lexeme>
    <grapheme>Tp.</grapheme>
    <grapheme>TP.</grapheme>
    <alias>thành phố</alias>
  </lexeme>
  <lexeme>
    <grapheme>ĐT:</grapheme>
    <alias>điện thoại:</alias>
  </lexeme>
</lexicon>
