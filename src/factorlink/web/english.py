"""The English of the pages' Chinese texts (tests/web/test_i18n.py keeps it complete)."""

from __future__ import annotations

from factorlink.web.i18n import register, register_values

ENGLISH: dict[str, str] = {
    # Pager, lists and filters
    "上一页": "Previous",
    "下一页": "Next",
    "第": "Page",
    "页": "",
    "共": "",
    "条": "results",
    "分页": "Pagination",
    "位置": "Breadcrumb",
    "筛选": "Filter",
    "更多筛选": "More filters",
    "搜索": "Search",
    "清除": "Clear",
    "表单填写有误": "Please correct the form",
    "全部": "All",
    "不限": "Any",
    "搜索结果": "Results",
    "搜索科技成果": "Search achievements",
    "搜索科技成果,如:石墨烯": "Search achievements, e.g. 石墨烯 (graphene)",
    "没有符合条件的结果,试试放宽筛选条件。": "Nothing matches; try wider filters.",
    "没有找到相关结果": "Nothing found for",
    "把需求告诉我们,平台会为您寻找合适的资源,并安排专人对接。": (
        "Tell us what you need: the platform will look for it and put you in touch."
    ),
    "已同时搜索": "Also searched for",
    "相关度": "Relevance",
    "关键词": "Keywords",
    "类型": "Type",
    "技术成熟度": "Readiness",
    "合作方式": "Cooperation",
    "排序": "Sort",
    "最新发布": "Newest",
    "价格从低到高": "Price, low to high",
    "价格从高到低": "Price, high to low",
    "成熟度从高到低": "Most mature first",
    "最低": "Min",
    "最高": "Max",
    "价格(万元)": "Price (10k CNY)",
    "预算(万元)": "Budget (10k CNY)",
    "单笔金额(万元)": "Ticket (10k CNY)",
    "价格": "Price",
    "预算": "Budget",
    "单笔金额": "Ticket",
    "面积": "Area",
    "面议": "Negotiable",
    "截止": "Due",
    "联系人": "Contact",
    "已脱敏": "masked",
    "图表": "Charts",
    "走廊九城的位置、要素数量与签约金额": "The corridor cities: place, listings and signed amounts",
    "科技成果、技术需求、资本、载体与专家,在九城之间对接成交。": (
        "Achievements, demands, capital, space and experts, matched and closed across nine cities."
    ),
    # Detail and matches
    "推荐匹配": "Matches",
    "匹配对象": "Match with",
    "匹配度": "Match",
    "匹配依据": "Reasons",
    "共同关键词": "Shared terms",
    "条件契合": "Fit",
    "语义": "Semantic",
    "符合": "met",
    "不符合": "not met",
    "未知": "unknown",
    "暂无匹配": "No matches yet",
    "发布成功": "Posted",
    # Forms
    "发布信息": "Post a listing",
    "取消": "Cancel",
    "提交": "Send",
    "必填": "required",
    "例如": "e.g.",
    "以本机构名义发布;联系人信息仅对平台运营人员和已对接的对方完整显示。": (
        "Posted for your organisation; the contact is shown in full only to operators and to "
        "counterparts you have been introduced to."
    ),
    "告诉我们您需要的技术、空间或资金,平台将为您匹配资源并安排专人对接。": (
        "Tell us the technology, space or funding you need; we match resources and an operator "
        "follows up."
    ),
    "需求类型": "Type of need",
    "技术": "Technology",
    "空间载体": "Space",
    "需求": "Need",
    "用途": "Purpose",
    "年纳税额(万元)": "Annual tax (10k CNY)",
    "公司": "Company",
    "意向城市": "Preferred cities",
    "所属行业": "Industry",
    "我同意平台保存以上信息,并据此与我联系。": (
        "I agree that the platform keeps this information and contacts me about it."
    ),
    "需求已提交": "Request sent",
    "运营人员将尽快与您联系。": "An operator will contact you shortly.",
    "为您找到的资源": "Resources for you",
    # Workspace
    "线索收件箱": "Lead inbox",
    "对接看板": "Deal board",
    "批量导入": "Import",
    "状态": "Status",
    "时间": "Received",
    "暂无线索": "No leads",
    "更新状态": "Update status",
    "匹配资源": "Matches",
    "发起对接": "Introduce",
    "推进到": "Move to ",
    "关闭原因": "Reason for closing",
    "仅显示最近": "Showing the latest",
    "新线索": "New",
    "处理中": "Reviewing",
    "已对接": "Introduced",
    "已关闭": "Closed",
    "待受理": "Requested",
    "已提议": "Proposed",
    "已联系": "Contacted",
    "洽谈中": "Negotiating",
    "已签约": "Signed",
    "导入类型": "What the file lists",
    "文件(.xlsx、.csv、.json、.jsonl)": "File (.xlsx, .csv, .json, .jsonl)",
    "跳过有误的行,导入其余的行": "Skip invalid rows and load the rest",
    "仅检查,不写入(试运行)": "Check only, write nothing (dry run)",
    "开始导入": "Import",
    "下载导入模板": "Templates",
    "模板含填写说明工作表;带*的列为必填。": (
        "Each template has a guide sheet; columns marked * are required."
    ),
    "导入模板": " template",
    "导入报告": "Import report",
    "导入失败": "Import rejected",
    "有": "",
    "行数据有误,未写入任何数据。请修改后重新导入,或勾选“跳过有误的行”。": (
        "invalid row(s); nothing was written. Correct them and import again, or skip invalid rows."
    ),
    "试运行完成,未写入任何数据。": "Dry run done; nothing was written.",
    "导入完成。": "Import done.",
    "总行数": "Rows",
    "新增": "Created",
    "(试运行)": " (dry run)",
    "无误的行(未写入)": "Valid rows (not written)",
    "更新": "Updated",
    "未变": "Unchanged",
    "有误": "Rejected",
    "逐行校验结果": "Row-by-row check",
    "行": "Row",
    "列": "Column",
    "填写内容": "Value",
    "原因": "Reason",
    "仅显示前500条,完整原因见下载文件。": "First 500 shown; the download has them all.",
    "下载有误的行": "Download the rejected rows",
    "发布": "Post ",
}


def install() -> None:
    """Registers the pages' English."""
    register(ENGLISH)


# The English of the values pages show (web.i18n.translate_value): the labels of the
# vocabularies (validation/vocab.py) and the words of the listings' columns.
register_values(
    {
        # Cooperation modes, forms of IP, patent states
        "转让": "Transfer",
        "许可": "Licence",
        "作价入股": "Equity",
        "合作开发": "Co-development",
        "技术服务": "Technical service",
        "发明专利": "Invention patent",
        "实用新型": "Utility model",
        "外观设计": "Design patent",
        "软件著作权": "Software copyright",
        "技术秘密": "Know-how",
        "论文": "Paper",
        "集成电路布图设计": "IC layout design",
        "新药证书": "New drug certificate",
        "授权": "Granted",
        "实审": "Under examination",
        "公开": "Published",
        # Kinds of organisation, capital and space; land uses; rounds
        "企业": "Enterprise",
        "高校": "University",
        "科研院所": "Research institute",
        "投资机构": "Investor",
        "园区": "Park",
        "服务机构": "Service provider",
        "政府引导基金": "Government guidance fund",
        "银行贷款": "Bank loan",
        "科技保险": "Technology insurance",
        "土地": "Land",
        "厂房": "Factory",
        "写字楼": "Office",
        "孵化器": "Incubator",
        "工业用地": "Industrial land",
        "新型产业用地": "New industrial land (M0)",
        "科研用地": "R&D land",
        "商办用地": "Commercial and office land",
        "仓储用地": "Warehousing land",
        "种子期": "Seed",
        "天使轮": "Angel",
        "A轮": "Series A",
        "B轮": "Series B",
        "C轮及以后": "Series C and later",
        "并购": "M&A",
        # Yes and no, as the columns write them
        "是": "Yes",
        "否": "No",
        "有": "Yes",
        "无": "None",
        "现房": "Ready now",
    }
)
