"""Field parsers shared by imports, the API and the CLI (pure: no I/O).

Each parser takes what a person typed and returns a clean value, or raises FieldError with a
reason in Chinese and English.
"""

from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import (
    parse_area,
    parse_city,
    parse_credit_code,
    parse_date,
    parse_industry,
    parse_mobile,
    parse_money,
    parse_money_range,
    parse_price,
    parse_text,
    parse_trl,
    split_multi,
)

__all__ = [
    "FieldError",
    "parse_area",
    "parse_city",
    "parse_credit_code",
    "parse_date",
    "parse_industry",
    "parse_mobile",
    "parse_money",
    "parse_money_range",
    "parse_price",
    "parse_text",
    "parse_trl",
    "split_multi",
]
