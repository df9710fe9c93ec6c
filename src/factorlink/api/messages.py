"""Chinese wording of request-validation errors (Pydantic's own messages are English)."""

from __future__ import annotations

from typing import Any

# Pydantic error type -> Chinese reason; {placeholders} come from the error's context.
REASONS: dict[str, str] = {
    "missing": "为必填项",
    "extra_forbidden": "不是可接受的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_long": "长度不能超过{max_length}",
    "string_too_short": "长度不能少于{min_length}",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "不能大于{le}",
    "enum": "可选值:{expected}",
    "literal_error": "可选值:{expected}",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON格式错误",
    "date_from_datetime_parsing": "应为日期,如2027-06-30",
    "date_parsing": "应为日期,如2027-06-30",
}
HTTP_STATUS: dict[int, tuple[str, str]] = {
    404: ("未找到该地址", "Not found"),
    405: ("不支持该请求方法", "Method not allowed"),
}
# Problem titles where the exception's own detail is a sentence rather than a title.
HTTP_TITLES: dict[int, str] = {413: "Content too large"}


def reason_zh(error: dict[str, Any]) -> str:
    """The Chinese reason for one Pydantic error."""
    template = REASONS.get(str(error.get("type")), "格式不正确")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template
