"""Chinese text for matching: normalisation, tokens for BM25, and words for explanations (pure).

Normalisation folds full-width forms to half-width (NFKC), traditional characters to simplified
(OpenCC t2s), case, and number formats (1,000 → 1000; １２ → 12). BM25 tokens are character
unigrams and bigrams of each Chinese run plus whole Latin words and numbers: measured on CSL they
beat jieba words (see the README's matching section), and they need no dictionary to cope with
new terms. Words for explanations come from jieba with the corridor's industry terms added, since
"热管理" reads better to a user than its bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese runs; Latin words and numbers whole, with inner dots and dashes (pm2.5, 5g, li-ion).
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z0-9][a-z0-9.+#\-]*[a-z0-9+#]|[a-z0-9]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")

# Characters too common in Chinese technical prose to carry meaning as unigrams. Bigrams that
# contain them are kept ("技术" is noise, "的研" never forms: runs are cut at punctuation only).
STOP_CHARS = frozenset("的了和与及或等在是对为中以其并而之于也将被把从这那该各")
STOP_WORDS = frozenset(
    {
        "the", "and", "for", "of", "to", "in", "with", "on", "an", "a", "by", "is", "are",
        "研究", "方法", "分析", "基于", "一种", "应用", "进行", "采用", "通过", "提出", "结果",
        "表明", "利用", "需要", "我们", "公司", "希望", "寻找", "相关", "提供", "用于", "问题",
        "技术", "系统", "有限公司", "合作", "项目", "开发", "实现", "以及", "具有", "可以",
    }
)  # fmt: skip


# Words too general to explain a match, though they may be nouns ("现有", "获得", "效率"):
# shown terms must say what two factors have in common.
GENERIC_WORDS = frozenset(
    {
        "现有", "获得", "超过", "达到", "人工", "效率", "自动", "内部", "外部",
        "提升", "降低", "提高", "目前", "已经", "主要", "能够", "解决", "要求",
        "情况", "方面", "产品", "企业", "需求", "方案", "国内", "国外", "行业",
        "领域", "重要", "显著", "有效", "较高", "较低", "以上", "以下", "左右",
        "万元", "平方", "面积", "想找", "考虑", "生产", "使用", "工作", "方式",
        "服务", "能力", "实际", "增加", "减少", "完成", "成功", "不同", "多种",
        "一体化", "新型", "高效", "智能", "设备", "工艺", "材料", "制造", "产业",
        "园区", "标准", "推进", "建设", "发展", "改造", "升级", "成果", "工程",
        "性能", "工程师", "特色", "人员", "客户", "用户", "团队", "经验",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Full-width forms to half-width (NFKC: "（转向节），" → "(转向节),", ㎡ → m2, １２ → 12).

    Stored text is kept as its author typed it; whatever reads it for matching or search folds
    it here first, so a full-width comma or digit reads like a half-width one."""
    return unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """Half-width, simplified, lower-case text with plain numbers."""
    folded = fold(text).lower()
    folded = _THOUSANDS.sub("", folded)
    return str(_t2s().convert(folded))  # type: ignore[attr-defined]


def tokens(text: str) -> list[str]:
    """BM25 tokens: character unigrams and bigrams of Chinese runs, Latin words and numbers."""
    out: list[str] = []
    for run in _TOKEN.findall(normalise(text)):
        if not _is_han(run[0]):
            if run not in STOP_WORDS:
                out.append(run)
            continue
        out.extend(ch for ch in run if ch not in STOP_CHARS)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def field_tokens(fields: Sequence[tuple[str, int]]) -> list[str]:
    """Tokens of weighted fields: a field of weight w counts w times (title 2, body 1...)."""
    out: list[str] = []
    for text, weight in fields:
        if text:
            out.extend(tokens(text) * max(weight, 0))
    return out


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class WordCutter:
    """jieba with a domain dictionary: whole words for explanations and shared-term display."""

    def __init__(self, domain_terms: Iterable[str] = (), cache_dir: str | None = None) -> None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        # jieba caches its parsed dictionary; keep it in our data directory, not /tmp.
        if cache_dir is not None:
            self._jieba.tmp_dir = cache_dir
            self._jieba.cache_file = "jieba.cache"
        self._jieba.initialize()
        for term in domain_terms:
            term = normalise(term).strip()
            if len(term) >= 2:
                self._jieba.add_word(term, freq=50_000)

    def words(self, text: str) -> list[str]:
        """Meaningful words of a text, in order, without duplicates."""
        seen: dict[str, None] = {}
        for word in self._jieba.lcut(normalise(text)):
            word = word.strip()
            if len(word) < 2 or word in STOP_WORDS or not _TOKEN.fullmatch(word):
                continue
            if word.isdigit():
                continue
            seen.setdefault(word, None)
        return list(seen)


def shared_terms(
    query_words: Sequence[str], document_words: Sequence[str], limit: int = 8
) -> list[str]:
    """The query's words that the document says too, longest first (the most telling).

    Both sides are cut into words by the same cutter, so a piece of two words ("包热" of
    "电池包热失控") never counts; a query word inside a longer document word does ("电池" in
    "锂电池"). Words too general to explain a match are left out.
    """
    own = set(document_words)
    # A word inside a document word that is not itself is inside a longer one: one substring
    # search over the words joined by a separator no word holds does for all of them.
    joined = "\x00".join(own)
    found = [w for w in query_words if w not in GENERIC_WORDS and (w in own or w in joined)]
    found.sort(key=lambda w: (-len(w), query_words.index(w)))
    return found[:limit]
