"""Indonesian date formats: one per kind, full month names ("5 Januari 2027"), 24-hour time.

Django's own `id` formats mix abbreviated and full month names ("5 Jan. 2027" beside
"30 April 2018"); every `|date` and `date_format()` without an explicit format uses these.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
