"""English date formats: day before month as in Indonesian ("5 January 2027"), 24-hour time.

Django's own `en` formats print "Dec. 6, 2026" and "12/06/2026 10:37 a.m."; a reader switching
language sees the same order here, with English month names.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

# Typed dates read day first too (31/01/2027): a person in Indonesia who switches to English still
# writes the day first, and Django's month-first `en` input would read 03/04 as the 4th of March.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y", "%Y-%m-%d"]
