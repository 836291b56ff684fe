"""Targets: 80%以上, 2-3 家, 至少1所, 分别达到73%和83%, 780万人以上, 增长5%左右 …

A target is a number with ``%`` or a measure word that counts or measures what the clause will
do. Most numbers in a plan are something else, and each rule below turns one kind away:
ordinals (第六届), names and slogans in quotes (“3211”行动, 《…20 条处理意见》), ranks written in
Chinese (三级医院, 二级以上), ages and durations that qualify a noun (65岁以上老年人, 0-36个月),
thresholds that select (投资规模在5000万元以上项目, 100万元至300万元部分, 为2家的,),
where a change starts (从75%提高到…), stocks and populations stated as facts (我国有2.9亿在校学生,
14亿多中国人), rates per head (每千人), and dates.
"""

from __future__ import annotations

import re

from planc.extract import Context, Hit
from planc.extract.numbers import CN_NUMERAL, Layout, number_value
from planc.labels import chinese_to_int

_S = r"[ \t]{0,2}"
_REACH = 80
_TIME_BEFORE = ("底前", "之前", "以前", "日前", "月前", "年前", "旬前", "度前")  # 年底前 25%的…
_ARABIC = r"(?<![0-9.])[0-9]{1,12}(?:\.[0-9]{1,6})?"
_CHINESE = rf"(?<![{CN_NUMERAL}])[{CN_NUMERAL}]{{1,6}}"
_MAGNITUDE = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)"
# Measure words, longest first so 个百分点 is not read as 个.
_MEASURES = (
    "个百分点|平方公里|百分点|平方米|立方米|千瓦时|个月|人次|户次|大类|周岁|公里|千米|公顷|千瓦|千克|公斤|美元|小时|元|"
    "个|家|人|名|项|所|种|部|本|级|次|户|套|张|支|条|座|台|辆|间|"
    "处|篇|场|岁|年|天|倍|吨|斤|亩|米|类|件|册|门|位|床|批|大"  # 大: 8大体系 (the gold's unit)
)
_UNIT = rf"%|‰|{_MAGNITUDE}?(?:{_MEASURES})|{_MAGNITUDE}"
_PATTERN = re.compile(
    rf"(?=[0-9{CN_NUMERAL}])(?P<num>{_ARABIC}|{_CHINESE})(?P<pct>%)?"
    rf"(?:{_S}(?P<sep>[-~—至到]){_S}(?P<num2>{_ARABIC}|{_CHINESE}))?"
    rf"{_S}(?P<unit>{_UNIT})(?:{_S}(?P<post>及以上|以上|以下|以内|之内|左右))?"
)

_POST_CMP = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~"}
# Words right before the number; the longest is tried first, so 不超过 is not read as 超过.
_PRE_CMP = {"至少": ">=", "不少于": ">=", "不低于": ">=", "超过": ">=", "多于": ">=", "高于": ">=",
            "大于": ">=", "最低": ">=", "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=",
            "最多": "<=", "最高": "<=", "低于": "<=", "少于": "<=", "小于": "<=", "约": "~", "大约": "~",
            "近": "~", "将近": "~", "接近": "~"}  # fmt: skip
_NEARLY = ("近", "将近", "接近")
# 近 that is not "nearly": 最近, 附近, 邻近, 靠近, 就近, 亲近, 贴近.
_NOT_NEARLY = ("最近", "附近", "邻近", "靠近", "就近", "亲近", "贴近")
# Comparators that hold for every number after them in the statement: 每个盟市至少1所…、1所…;
# 不低于…收入的60%.
_SPREAD_CMP = re.compile(r"至少|不少于|不低于|不超过|不高于")
# Units that qualify a noun (65岁以上老年人, 3个月) unless a comparator makes them the goal.
_QUALIFIERS = frozenset(("岁", "周岁", "年", "个月", "天", "小时"))
# Sizes that describe a thing: 100平方米以上的活动站点.
_SIZES = frozenset(("平方公里", "平方米", "立方米", "公里", "千米", "米", "公顷", "千瓦时", "千瓦", "千克", "公斤", "吨", "斤", "亩"))  # fmt: skip
# A Chinese numeral counts only with these units and after a verb of doing or a comparator:
# 打造一个示范点, 至少一个旗县 — not 三级医院, 党的二十大, 两个积极性, 一支队伍, 三类人员.
_CN_UNITS = frozenset(("个", "家", "所", "名", "人", "项", "种", "部", "本", "张", "套", "座", "条", "间", "处", "篇", "场", "台", "辆", "户", "位", "件"))  # fmt: skip
_CN_VERBS = re.compile(
    r"(?:打造|建设|建成|新建|创建|培养|培育|设立|建立|推出|完成|遴选|选择|选派|达到|争取|力争|推广|"
    r"制定|引进|新增|扶持|支持|实施|组建|举办|召开|开展|认定|评选|命名|出台|编制|编纂|创作|增加|"
    r"确定|形成|招募|招收|选拔|培训|建)$"
)
_CN_RANGES = {"一两": (1, 2), "两三": (2, 3), "三四": (3, 4), "三五": (3, 5), "四五": (4, 5),
              "五六": (5, 6), "六七": (6, 7), "七八": (7, 8), "八九": (8, 9)}  # fmt: skip
# A change from one value to another: 由9600元提高到…, 从75%提高到…, 从10万元降至….
_FROM = re.compile(r"[由从]")
_CHANGE = (
    r"(?:提高|提升|增加|增长|上升|上调|降低|减少|下降|下调|压减|压缩|缩减|缩小|扩大|放宽|延长|缩短|调整|"
    r"[增降升减提扩])(?:到|至|为)"
)
_FROM_TO = re.compile(rf"{_S}{_CHANGE}")
# The end a moving threshold is taken to: 由9600元以下提高到15600元以下.
_TO_BOUND = re.compile(rf"(?:以上|以下){_S}{_CHANGE}$")
# A bare magnitude (亿, 万) counting people or pupils that exist: 14亿多中国人, 有2.9亿在校学生.
_BARE_MAGNITUDES = frozenset(("万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿"))
_PEOPLE = re.compile(r"多[\u4e00-\u9fff]{0,3}(?:人|民|口|众|生|工|童|者)")
# A quantity closed by 的 and a break (入围企业为2家的,) or naming a portion (…300万元部分)
# says when or to what a measure applies.
_CONDITION = re.compile(
    rf"(?:{_S}[-~—至到]{_S}[0-9]{{1,12}}(?:\.[0-9]{{1,6}})?{_S}(?:{_UNIT}))?{_S}(?:的{_S}[,;。:]|的?部分)"
)
_NOUN_THRESHOLD = re.compile(r"[\u4e00-\u9fff]{1,4}(?:以上|以下)")
_METRIC_END = re.compile(
    # A cheap first look: the first characters of the names below (4x faster on digits).
    r"(?=[率比占人数总寿经产收面规指覆量])"
    r"(?:率|比例|比重|占比|人数|数量|总量|总值|寿命|经费|产量|收入|面积|规模|指数|覆盖面|[数量])"
    r"(?=分别|均|总体|平均|稳定|力争|达到|达|提高|提升|增长|下降|降低|减少|增加|为|保持|控制|超过|"
    r"不低于|不少于|不超过|[ \t0-9]|$)"
)
_METRIC_STOP = frozenset("的和与及或、在对从由把将使让其中等")
# Words that open a metric's phrase without being part of its name: 全市…, 力争覆盖比例.
_LEADS = ("全市", "全区", "全省", "全国", "全县", "全年", "今年", "各地", "城乡", "城镇", "农村",
          "居民", "户籍", "力争", "争取", "确保", "努力", "推动", "实现", "保持")  # fmt: skip


def find_targets(text: str, context: Context) -> list[Hit]:
    """Targets in folded clause text; fields: value, max, unit, cmp, metric."""
    layout = Layout(text)
    hits = []
    for m in _PATTERN.finditer(text):
        found = _target(m, text, layout)
        if found is not None:
            start, fields = found
            hits.append(Hit(start, m.end(), fields))
    return hits


def _target(m: re.Match[str], text: str, layout: Layout) -> tuple[int, dict[str, object]] | None:
    """The target's start (taking in a comparator printed before it) and fields, or None."""
    start, end = m.span()
    num, num2, unit, post = m.group("num"), m.group("num2"), m.group("unit"), m.group("post")
    if layout.quoted(start, end):
        return None  # a name or slogan: “3211”行动, “百名医师讲中医”
    # The statement before the number, at most _REACH characters of it.
    before = text[max(layout.segment_start(start), start - _REACH) : start].rstrip(" \t")
    if before.endswith(("第", "每")) or (
        before.endswith("前") and not before.endswith(_TIME_BEFORE)
    ):
        return None  # an ordinal (第三批), a rate's base (每千人), a rank (前10位)
    if m.group("pct") and unit != "%":
        return None
    pre = _pre_cmp(before)
    arabic = num[0].isdigit()
    if arabic and num2 and not num2[0].isdigit():
        return None
    value: int | float | None
    high: int | float | None = None
    if arabic:
        if len(num) == 4 and "." not in num and unit == "年":
            return None  # a year
        value = number_value(num)
        high = number_value(num2) if num2 else None
    else:
        if num2 or unit not in _CN_UNITS:
            return None
        if num in _CN_RANGES:
            value, high = _CN_RANGES[num]
        else:
            value = chinese_to_int(num)
            if value is None or not (pre or _CN_VERBS.search(before)):
                return None
            if value == 1 and unit in ("支", "批", "种"):
                return None  # 一支队伍, 一批项目: an article, not a count
    if value is None or (high is not None and high <= value):
        return None
    after = text[end : end + 12]
    if unit in _QUALIFIERS and (pre is None or _pre_word(before) in _NEARLY):
        return None  # 65岁以上老年人, 0-36个月儿童, 一年制度; 近3年: a period looked back on
    if unit in _SIZES and after.lstrip(" \t").startswith("的"):
        return None  # 100平方米以上的活动站点
    if not post and _NOUN_THRESHOLD.match(after):
        return None  # 1万名老人以上的街(镇), 200张床位以上的机构
    if (
        post in ("以上", "以下")
        and before.endswith("在")
        and not before.endswith(("控制在", "保持在"))
    ):
        return None  # 投资规模在5000万元以上项目: a threshold that selects
    if _FROM.search(before) and _FROM_TO.match(after):
        return None  # 由9600元提高到…, 从75%提高到…: where it starts, not where it must get
    if post in ("以上", "以下") and _FROM.search(before) and _TO_BOUND.search(before):
        return None  # 由9600元以下提高到15600元以下: a threshold that moves, not a goal
    if _CONDITION.match(after):
        return None  # 为2家的, / 100万元至300万元部分: what a measure applies to
    if unit in _BARE_MAGNITUDES and (before.endswith("有") or _PEOPLE.match(after)):
        return None  # 我国有2.9亿在校学生, 14亿多中国人: a fact, not a commitment
    if high is not None:
        cmp = "range"
    elif post:
        cmp = _POST_CMP[post]
    elif pre:
        cmp = pre
    else:
        spread = list(_SPREAD_CMP.finditer(before))
        cmp = _PRE_CMP[spread[-1].group()] if spread else "="
    if pre:
        start = _word_start(text, start)
    fields = {"value": value, "max": high, "unit": unit, "cmp": cmp, "metric": _metric(before)}
    return start, fields


def _pre_cmp(before: str) -> str | None:
    word = _pre_word(before)
    return _PRE_CMP[word] if word else None


def _pre_word(before: str) -> str | None:
    for size in (3, 2, 1):
        if before[-size:] in _PRE_CMP:
            if before[-size:] == "近" and before.endswith(_NOT_NEARLY):
                return None
            return before[-size:]
    return None


def _word_start(text: str, start: int) -> int:
    """Where the comparator printed right before ``text[start]`` begins (至少1所)."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    word = _pre_word(text[max(0, i - 3) : i])
    return i - len(word) if word else start


def _metric(before: str) -> str | None:
    """What the number measures, when the statement names it: 签约率达…90%, 健康管理率分别达到…."""
    ends = [m.end() for m in _METRIC_END.finditer(before)]
    if not ends:
        return None
    end = ends[-1]
    start = end
    while (
        start > 0
        and "\u4e00" <= before[start - 1] <= "\u9fff"
        and before[start - 1] not in _METRIC_STOP
    ):
        start -= 1
    name = before[start:end]
    while name.startswith(_LEADS) and len(name) > 3:
        name = name[2:]
    return name if 2 <= len(name) <= 10 else None
