"""What more than one part of the demo dataset needs: £m as the tables write them, and the
source cited for the targets and the programme."""

from decimal import Decimal

from common.money import PENNY

MILLION = Decimal(1_000_000)


def m(millions: str) -> Decimal:
    """£m as written in the tables below, in exact pounds and pence."""
    return (Decimal(millions) * MILLION).quantize(PENNY)


# Sources, written once.
CW_2013 = 'Computer Weekly, Feb 2013, "Metropolitan Police technology strategy under review"'
