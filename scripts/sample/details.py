"""The details a listing's page shows beyond what matching reads: a carrier's building, land and
delivery, a loan's terms, an achievement's patents and listing period.

Each draws from its own seeded stream, so adding or changing a detail never moves a draw of the
listings themselves (their text, and so the shipped passage vectors, stay as they are). None of
these columns enters a match document.
"""

from __future__ import annotations

from typing import Any

from factorlink.validation.patents import check_char
from sample.rand import Rand

CARRIER_HEADERS = (
    "地址",
    "层高",
    "承重",
    "电力",
    "行车",
    "可分割",
    "最小分割面积",
    "交付日期",
    "土地用途",
    "产权年限",
)
LOAN_HEADERS = ("贷款期限", "贷款利率", "申请条件", "申请方式")
ACHIEVEMENT_HEADERS = ("专利号", "专利状态", "权利人", "挂牌期限")

_ROADS = ("创新路", "科技大道", "工业大道", "园区路", "兴业路", "智造路", "振兴路", "产业大道")
_DELIVERY = ("现房", "现房", "2026年12月底", "2027年3月底", "2027年6月底", "2027年三季度")
_LOAN_KINDS = ("科技贷", "知识产权质押贷款", "银行贷款", "贷款", "信贷")


def _blank(headers: tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(headers, "")


def carrier(kind: str, district: str, area_sqm: float, rand: Rand) -> dict[str, Any]:
    """The building and land of one carrier, as a park's sheet states them."""
    cells = _blank(CARRIER_HEADERS)
    cells["地址"] = f"{district}{rand.pick(_ROADS)}{rand.between(1, 399)}号"
    if kind == "土地":
        industrial_rd = rand.chance(0.2)
        cells["土地用途"] = "新型产业用地" if industrial_rd else "工业用地"
        cells["产权年限"] = "50年"
        cells["交付日期"] = rand.pick(("2026年12月底", "2027年3月底", "2027年上半年"))
        return cells
    cells["交付日期"] = rand.pick(_DELIVERY)
    if kind == "厂房":
        cells["层高"] = rand.pick(("8米", "9米", "10米", "12米", "首层8米"))
        cells["承重"] = rand.pick(("2吨/㎡", "3吨/㎡", "3吨/㎡", "5吨/㎡"))
        cells["电力"] = rand.pick(("630kVA", "1250kVA", "1250kVA", "2000kVA"))
        cells["行车"] = rand.pick(("10吨", "5吨", "无", "2台10吨", "有"))
        cells["产权年限"] = "50年" if rand.chance(0.5) else ""
        divisible = area_sqm >= 8000 and rand.chance(0.7)
        cells["可分割"] = "是" if divisible else "否"
        if divisible:
            cells["最小分割面积"] = f"{int(round(area_sqm / 4, -2))}㎡"
        return cells
    if kind == "写字楼":
        cells["层高"] = rand.pick(("3.8米", "4.2米", "4.5米"))
        cells["承重"] = rand.pick(("300kg/㎡", "400kg/㎡"))
        cells["可分割"] = "是"
        cells["最小分割面积"] = f"{rand.pick((100, 150, 200, 300))}㎡"
        cells["土地用途"] = "商办用地"
        cells["产权年限"] = "40年" if rand.chance(0.5) else ""
        return cells
    # An incubator lets workstations and small rooms.
    cells["可分割"] = "是"
    cells["最小分割面积"] = f"{rand.pick((20, 30, 50, 80))}㎡"
    cells["交付日期"] = "现房"
    return cells


def capital(kind: str, industries: str, rand: Rand) -> dict[str, Any]:
    """A loan's terms and how to apply; for funds and insurance, how to apply only."""
    cells = _blank(LOAN_HEADERS)
    if kind in _LOAN_KINDS:
        cells["贷款期限"] = rand.pick(("1年", "1-3年", "最长3年", "6-36个月", "12个月"))
        cells["贷款利率"] = rand.pick(("3.45%", "3.2%-4.5%", "一年期LPR+30BP", "LPR", "年化3.6%"))
        years = rand.pick(("1", "2"))
        cells["申请条件"] = (
            f"注册在走廊九城、成立满{years}年的科技型中小企业或高新技术企业,"
            f"主营{industries.split('、')[0]}等领域,无不良信用记录"
        )
        cells["申请方式"] = rand.pick(
            ("线上提交申请,或联系客户经理预约面谈", "通过平台“申请对接”,由运营人员转客户经理")
        )
    elif kind in ("科技保险", "保险"):
        cells["申请条件"] = f"从事{industries.split('、')[0]}等领域研发或首台(套)、首批次应用的企业"
        cells["申请方式"] = "联系保险公司科技保险专员,或通过平台“申请对接”"
    else:
        cells["申请方式"] = rand.pick(
            ("提交商业计划书,经投资经理初筛后约谈", "通过平台“申请对接”,由运营人员推荐")
        )
    return cells


def patent_number(rand: Rand, kind: str = "1") -> str:
    """A well-formed, fictional Chinese patent number with its check character."""
    digits = f"{rand.between(2019, 2024)}{kind}{rand.between(0, 9_999_999):07d}"
    return f"ZL{digits}.{check_char(digits)}"


def achievement(forms: list[str], owner: str, rand: Rand) -> dict[str, Any]:
    """The patents behind an achievement (where it is patented), and its listing period."""
    cells = _blank(ACHIEVEMENT_HEADERS)
    kinds = [k for form, k in (("发明专利", "1"), ("实用新型", "2")) if form in forms]
    if kinds:
        count = rand.between(1, 2)
        numbers = [patent_number(rand, rand.pick(kinds)) for _ in range(count)]
        cells["专利号"] = "、".join(dict.fromkeys(numbers))
        cells["专利状态"] = rand.pick(("授权", "授权", "授权", "实审", "公开"))
        cells["权利人"] = owner
    start = rand.pick(("2026-01-01", "2026-03-01", "2026-06-01"))
    end = rand.pick(("2026-12-31", "2027-06-30", "2027-12-31"))
    cells["挂牌期限"] = f"{start}至{end}"
    return cells
