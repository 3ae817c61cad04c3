"""Dates as the field writes them: a day, a month or only a year."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

import attrs

__all__ = ["DATE_PATTERN", "PartialDate", "Precision"]

Precision = Literal["year", "month", "day"]

DATE_PATTERN = (
    r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])|-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    r"|-(0[469]|11)-(0[1-9]|[12][0-9]|30)|-02-(0[1-9]|1[0-9]|2[0-9]))?$"
)
"""The text form of a partial date, also in the JSON Schema files: a year from 1000 on,
and a day that exists in its month (29 February is checked for leap years later)."""
_DATE_RE = re.compile(DATE_PATTERN)


def _check_month(
    instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None and not 1 <= value <= 12:
        raise ValueError(f"month must be between 1 and 12, not {value}")


def _check_day(
    instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is None:
        return
    if instance.month is None:
        raise ValueError("a date with a day must also have a month")
    last = calendar.monthrange(instance.year, instance.month)[1]
    if instance.month == 2 and value == 29 and last == 28:
        raise ValueError(
            f"{instance.year:04d}-02-29 does not exist: {instance.year} is no leap year"
        )
    if not 1 <= value <= last:
        raise ValueError(
            f"day must be between 1 and {last} in {instance.year:04d}-{instance.month:02d}, "
            f"not {value}"
        )


@attrs.frozen(eq=True, order=False)
class PartialDate:
    """A calendar date that may be known only to the month or the year.

    Sources say "January 2012" or "in 2011" as often as "20 March 2012".
    A ``PartialDate`` keeps exactly what is known and no more. Its text form
    is ISO 8601: ``2012``, ``2012-01`` or ``2012-03-20``.

    A partial date stands for a period. Evidence counts from the first day of
    its period: evidence dated ``2012-03`` is known on 2012-03-01 and
    2012-03-20, but not on 2012-02-28 (see :meth:`is_on_or_before`). An
    assessment judges its whole period and counts from its last day. Sorting
    uses the first day, then the last.

    >>> PartialDate.parse("2012-03")
    PartialDate('2012-03')
    >>> PartialDate.parse("2012-03").last_day
    datetime.date(2012, 3, 31)
    """

    year: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.ge(1000), attrs.validators.le(9999))
    )
    month: int | None = attrs.field(default=None, validator=_check_month)
    day: int | None = attrs.field(default=None, validator=_check_day)

    @classmethod
    def parse(cls, text: object) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises :class:`ValueError` with a message that says what was expected
        and what was found.
        """
        if not isinstance(text, str) or _DATE_RE.match(text) is None:
            raise ValueError(f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found {text!r}")
        parts = [int(part) for part in text.split("-")]
        return cls(*parts)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        """The partial date for a full :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        """How much of the date is known: ``"year"``, ``"month"`` or ``"day"``."""
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        return "day"

    @property
    def first_day(self) -> dt.date:
        """The first day of the period this date stands for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the period this date stands for."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def is_on_or_before(self, day: dt.date) -> bool:
        """Whether a record with this date counts as known on ``day``."""
        return self.first_day <= day

    def is_certainly_after(self, other: PartialDate) -> bool:
        """Whether every day of this period falls after every day of ``other``."""
        return self.first_day > other.last_day

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """A key that orders dates by first day, then by last day."""
        return (self.first_day, self.last_day)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"
