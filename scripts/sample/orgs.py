"""Organisations: fictional names, valid 统一社会信用代码, cities, industries and contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factorlink.validation.credit_code import ALPHABET, check_char
from sample import vocab
from sample.rand import Contact, People, Rand

# Real administrative division codes (GB/T 2260) of the districts the sample uses; zones that
# are not administrative districts fall back to their city's code.
CITY_AREA = {
    "songjiang": "310117",
    "jiaxing": "330400",
    "hangzhou": "330100",
    "jinhua": "330700",
    "suzhou": "320500",
    "huzhou": "330500",
    "xuancheng": "341800",
    "wuhu": "340200",
    "hefei": "340100",
}
DISTRICT_AREA = {
    "南湖区": "330402", "秀洲区": "330411", "嘉善县": "330421", "海盐县": "330424",
    "海宁市": "330481", "平湖市": "330482", "桐乡市": "330483",
    "上城区": "330102", "拱墅区": "330105", "西湖区": "330106", "滨江区": "330108",
    "萧山区": "330109", "余杭区": "330110", "富阳区": "330111", "临安区": "330112",
    "临平区": "330113", "钱塘区": "330114", "杭州高新区": "330108", "未来科技城": "330110",
    "婺城区": "330702", "金东区": "330703", "武义县": "330723", "浦江县": "330726",
    "兰溪市": "330781", "义乌市": "330782", "东阳市": "330783", "永康市": "330784",
    "虎丘区": "320505", "吴中区": "320506", "相城区": "320507", "姑苏区": "320508",
    "吴江区": "320509", "常熟市": "320581", "张家港市": "320582", "昆山市": "320583",
    "太仓市": "320585", "苏州高新区": "320505",
    "吴兴区": "330502", "南浔区": "330503", "德清县": "330521", "长兴县": "330522",
    "安吉县": "330523",
    "宣州区": "341802", "郎溪县": "341821", "泾县": "341823", "绩溪县": "341824",
    "旌德县": "341825", "宁国市": "341881", "广德市": "341882",
    "镜湖区": "340202", "鸠江区": "340207", "弋江区": "340209", "湾沚区": "340210",
    "繁昌区": "340212", "南陵县": "340223", "无为市": "340281",
    "瑶海区": "340102", "庐阳区": "340103", "蜀山区": "340104", "包河区": "340111",
    "长丰县": "340121", "肥东县": "340122", "肥西县": "340123", "庐江县": "340124",
    "巢湖市": "340181",
}  # fmt: skip
KIND_LABELS = {
    "enterprise": "企业",
    "university": "高校",
    "institute": "科研院所",
    "investor": "投资机构",
    "park": "园区",
    "service": "服务机构",
}
_DIGITS = "0123456789"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Org:
    """One organisation of the sample set."""

    name: str
    kind: str
    city_cell: str
    city: str
    district: str | None
    subfield: str | None
    strengths: tuple[str, ...]
    tax: int | None
    credit_code: str
    contact: Contact

    @property
    def industry(self) -> str | None:
        return vocab.industry_of(self.subfield) if self.subfield else None

    def covers(self, industry: str) -> bool:
        """Tells whether the organisation works in an industry."""
        return industry == self.industry or industry in self.strengths

    def row(self) -> dict[str, Any]:
        """The organisation as an import row."""
        return {
            "机构名称": self.name,
            "机构类型": KIND_LABELS[self.kind],
            "统一社会信用代码": self.credit_code,
            "所在城市": self.city_cell,
            "所属行业": vocab.industry_cell(self.subfield) if self.subfield else "",
            "年纳税额(万元)": self.tax if self.tax is not None else "",
            "联系人": self.contact.name,
            "手机号": self.contact.mobile,
        }


def _org_code_check(body: str) -> str:
    # GB 11714 check character of the 8-character organisation code inside the credit code.
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, _ORG_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _org_body(form: str, rand: Rand) -> str:
    if form == "12":
        return "4" + "".join(rand.pick(_DIGITS) for _ in range(7))
    if form == "52":
        return "MJ" + "".join(rand.pick(_DIGITS) for _ in range(6))
    if rand.chance(0.35):  # registered before 2015: an old all-digit organisation code
        return rand.pick("567") + "".join(rand.pick(_DIGITS) for _ in range(7))
    return "MA" + "".join(rand.pick(ALPHABET) for _ in range(6))


def credit_code(form: str, area: str, rand: Rand) -> str:
    """A well-formed 统一社会信用代码 with both check characters right."""
    body = _org_body(form, rand)
    first17 = form + area + body + _org_code_check(body)
    return first17 + check_char(first17)


def _locate(city_cell: str) -> tuple[str, str | None]:
    match = vocab.region().resolve(city_cell)
    if match is None:
        raise ValueError(f"unknown city {city_cell!r}")
    return match.city.code, match.district


def _entries() -> list[tuple[str, str, str, str | None, tuple[str, ...], int | None, str]]:
    data = vocab.read("organizations.yaml")
    rows: list[tuple[str, str, str, str | None, tuple[str, ...], int | None, str]] = []
    for name, industry, city, tax in data["enterprises"]:
        rows.append((name, "enterprise", city, industry.split("/")[-1], (), int(tax), "91"))
    for name, city, strengths in data["universities"]:
        rows.append((name, "university", city, None, tuple(strengths), None, "12"))
    for name, city, strengths, form in data["institutes"]:
        rows.append((name, "institute", city, None, tuple(strengths), None, form))
    for kind in ("investors", "parks", "services"):
        label = {"investors": "investor", "parks": "park", "services": "service"}[kind]
        rows.extend((name, label, city, None, (), None, "91") for name, city in data[kind])
    return rows


def build(people: People) -> list[Org]:
    """Every organisation, in file order."""
    rand = Rand("organizations")
    orgs: list[Org] = []
    codes: set[str] = set()
    for name, kind, city_cell, subfield, strengths, tax, form in _entries():
        city, district = _locate(city_cell)
        area = DISTRICT_AREA.get(district or "", CITY_AREA[city])
        code = credit_code(form, area, rand)
        while code in codes:
            code = credit_code(form, area, rand)
        codes.add(code)
        contact = people.contact()
        orgs.append(
            Org(name, kind, city_cell, city, district, subfield, strengths, tax, code, contact)
        )
    return orgs
