"""#14: one way to write a date everywhere in the portal (pages, lists, history): 27 Nov 2026, 27 Nov 2026 14:30.
In English too: day, month, year, as Indonesian readers expect (Django would write "Nov. 27, 2026").
Anything else Django's locale keeps (input formats, separators)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
