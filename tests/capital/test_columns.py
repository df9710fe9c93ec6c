"""A loan's terms: its term, its rate (kept as typed), who may apply and how."""

from __future__ import annotations

from types import SimpleNamespace

from factorlink.capital.columns import SPEC

BASE = {"name": "沪衡科创信用贷", "kind": "科技贷", "cities": "松江"}


def test_loan_terms_parse_and_read_back() -> None:
    row = SPEC.parse(
        {
            **BASE,
            "ticket": "100-3000",
            "loan_term": "1-3年",
            "loan_rate": "一年期LPR+50BP",
            "eligibility": "成立满1年的科技型中小企业",
            "how_to_apply": "线上申请",
        }
    )
    assert row.ok, row.errors
    values = row.values
    assert (values["loan_term_min_months"], values["loan_term_max_months"]) == (12, 36)
    assert values["loan_rate_text"] == "一年期LPR+50BP" and values["loan_rate_min_pct"] is None
    cells = SPEC.format(SimpleNamespace(**values, organization=None))
    assert cells["贷款期限"] == "12-36个月" and cells["贷款利率"] == "一年期LPR+50BP"
    again = SPEC.parse({col.key: cells[col.display_header] for col in SPEC.columns})
    assert again.ok and again.values["loan_term_max_months"] == 36


def test_a_loan_amount_header_is_the_ticket() -> None:
    found, unknown = SPEC.match_headers(["名称", "类型", "贷款额度(万元)", "利率", "期限"])
    assert not unknown
    assert [c.key for c in found.values()] == ["name", "kind", "ticket", "loan_rate", "loan_term"]


def test_a_rate_figure_out_of_range_names_its_column() -> None:
    row = SPEC.parse({**BASE, "loan_rate": "48%", "loan_term": "长期"})
    assert {e.column for e in row.errors} == {"贷款利率", "贷款期限"}
