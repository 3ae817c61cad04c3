"""Dates as the field writes them: a day, a month or only a year."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Literal

import attrs

__all__ = ["DATE_PATTERN", "DAY_SPAN", "PartialDate", "Precision", "day_number", "nonexistent_date"]

#: :attr:`PartialDate.order` is ``first * DAY_SPAN + last``, each day written ``YYYYMMDD``.
DAY_SPAN = 100_000_000


def day_number(day: dt.date) -> int:
    """``day`` as the number ``YYYYMMDD``, as :attr:`PartialDate.order` writes its days.

    A record dated ``date`` counts as known on ``day`` (:meth:`PartialDate.is_on_or_before`)
    exactly when ``date.order < (day_number(day) + 1) * DAY_SPAN``; an assessment, which
    counts from its last day, when ``date.order % DAY_SPAN <= day_number(day)``.
    """
    return day.year * 10_000 + day.month * 100 + day.day


Precision = Literal["year", "month", "day"]

DATE_PATTERN = (
    r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?|-(0[13-9]|1[0-2])-(29|30)"
    r"|-(0[13578]|1[02])-31)?|([1-9][0-9](0[48]|[2468][048]|[13579][26])"
    r"|([2468][048]|[13579][26])00)-02-29)$"
)
"""The text form of a partial date, also in the JSON Schema files: a year from 1000 on, a
month, and a day that exists in that month, 29 February only in a leap year."""
# What is written as a date, whether or not the date exists.
_DATE_SHAPE = re.compile(r"[1-9][0-9]{3}-[0-9]{2}(?:-[0-9]{2})?")
_DATE_RE = re.compile(DATE_PATTERN)


def nonexistent_date(text: object) -> str | None:
    """Why ``text``, written as a date, is not one ("2013 is not a leap year").

    ``None`` if it is a date, or is not written as one (``"20 March"``).
    """
    if not isinstance(text, str) or _DATE_SHAPE.fullmatch(text) is None:
        return None
    parts = [int(part) for part in text.split("-")]
    return _nonexistent(text, parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def _nonexistent(text: str, year: int, month: int, day: int | None) -> str | None:
    """Why ``text``, written YYYY-MM(-DD), is not a date; ``None`` if it is one."""
    written_month, _, written_day = text[5:].partition("-")
    if not 1 <= month <= 12:
        why = f"there is no month {written_month}"
    elif day is None or 1 <= day <= (last := calendar.monthrange(year, month)[1]):
        return None
    elif not 1 <= day <= 31:
        why = f"no month has a day {written_day}"
    elif month == 2:
        why = f"{year} is not a leap year" if day == 29 else f"February has {last} days in {year}"
    else:
        why = f"{calendar.month_name[month]} has {last} days"
    return f"{text} does not exist: {why}"


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
    why = _nonexistent(
        f"{instance.year:04d}-{instance.month:02d}-{value:02d}",
        instance.year,
        instance.month,
        value,
    )
    if why is not None:
        raise ValueError(why)


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
        # fullmatch: "2012-03-20\n" is not a date, although Python's "$" matches before "\n".
        if not isinstance(text, str) or _DATE_RE.fullmatch(text) is None:
            why = nonexistent_date(text)
            if why is not None:
                raise ValueError(why)
            raise ValueError(f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD, found {text!r}")
        return cls(*[int(part) for part in text.split("-")])

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
        # The first day and the last day as YYYYMMDD numbers (see ``order``): no date is built.
        return self.order // DAY_SPAN > other.order % DAY_SPAN

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """A key that orders dates by first day, then by last day."""
        return (self.first_day, self.last_day)

    @functools.cached_property
    def order(self) -> int:
        """An integer that orders dates exactly as :meth:`sort_key` does, ties included.

        Computed once per date, without building a :class:`datetime.date`:
        sorting many records by it compares integers. The first day and the
        last day are each written as the number ``YYYYMMDD``.

        >>> PartialDate.parse("2012-03").order
        2012030120120331
        """
        year, month, day = self.year, self.month, self.day
        if month is None:
            first, last = year * 10_000 + 101, year * 10_000 + 1231
        elif day is None:
            first = year * 10_000 + month * 100 + 1
            last = first - 1 + calendar.monthrange(year, month)[1]
        else:
            first = last = year * 10_000 + month * 100 + day
        return first * DAY_SPAN + last

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.order < other.order

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.order <= other.order

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.order > other.order

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.order >= other.order

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"
