"""One way to write a date everywhere, in English and in Hindi: "5 Dec 2026" (day,
month's short name, year), never 05-12-2026 on one page and Dec. 5, 2026 on the next.
Times are in IST (TIME_ZONE). Templates write `{{ day }}` or `{{ day|date }}`; code writes
`django.utils.formats.date_format(day)`; Excel keeps real dates."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
