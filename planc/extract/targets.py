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
from collections.abc import Callable
from functools import cache

from planc.extract import Context, Hit
from planc.extract.numbers import CN_NUMERAL, Layout, number_value
from planc.labels import chinese_to_int


def _lazy(pattern: str) -> Callable[[], re.Pattern[str]]:
    """A regex compiled on its first use: for the rare cases, whose patterns (a range of all
    Chinese characters, a long list of units) take a millisecond each to compile."""
    return cache(lambda: re.compile(pattern))


_S = r"[ \t]{0,2}"
_REACH = 80
_TIME_BEFORE = ("底前", "之前", "以前", "日前", "月前", "年前", "旬前", "度前")  # 年底前 25%的…
_ARABIC = r"(?<![0-9.])[0-9]{1,12}(?:\.[0-9]{1,6})?"
_CHINESE = rf"(?<![{CN_NUMERAL}])[{CN_NUMERAL}]{{1,6}}"
_MAGNITUDE = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)"
# Measure words, longest first so 个百分点 is not read as 个. A few are cut off from a word
# they open (899项目, 名单, 部门, 条件, 台账, 对接): those are names and nouns, not counts.
_MEASURES = (
    "个百分点|个工作日|平方公里|平方千米|百分点|平方米|立方米|千瓦时|工作日|个月|人次|户次|场次|家次|"
    "批次|架次|车次|班次|台次|课时|学时|标箱|大类|周岁|公里|千米|公顷|千瓦|千克|公斤|微克|毫克|美元|小时|平米|元|"
    "个|家|人|名(?![单录称])|项(?!目(?!标))|所(?![属在有得])|种|部(?![门署分委])|本(?![地市区级部届])|"
    "级|次(?!性)|户|套|张|支|条(?![件例款])|座|台(?![账阶])|辆|间|"
    "处|篇|场|岁|年|天|倍|吨|斤|亩|米|类|件|册|门|位|床|批|㎡|折(?![合算旧扣现])|株|棵|盏|艘|架|列|"
    "栋|幢|宗|份|轮|分(?![钟之类级局别析期配工担享])|"
    "对(?![接口象应标比照称外内于话策0-9])|大"  # 大: 8大体系 (the gold's unit)
)
_UNIT = rf"%|‰|{_MAGNITUDE}?(?:{_MEASURES})|{_MAGNITUDE}"
_NUMBER = rf"{_ARABIC}|{_CHINESE}"
# 多/余 after a number mean "more than" (1300多项, 240余座, 1万余人, 100余万元).
_PATTERN = re.compile(
    rf"(?=[0-9{CN_NUMERAL}])(?P<num>{_NUMBER})(?P<pct>%)?"
    rf"(?:{_S}(?P<mag1>{_MAGNITUDE})?{_S}(?P<sep>[-~—–至到]){_S}(?P<num2>{_NUMBER}))?"
    rf"{_S}(?P<more>[多余])?(?P<mag>{_MAGNITUDE})?(?P<more2>[多余])?(?P<measure>%|‰|{_MEASURES})?"
    # A denominator is printed but not part of the unit: 500元/人次, 35微克/立方米.
    rf"(?:/(?:{_MEASURES}|[\u4e00-\u9fff]{{1,2}}(?![\u4e00-\u9fff])))?"
    rf"(?:{_S}(?:\(含\))?{_S}(?P<post>及以上|以上|以下|以内|之内|左右))?"
)

# A parenthesis that sets work of its own, not a gloss: (2024年完成30个), (其中新建5座).
_BRACKET_TASK = re.compile(
    r"[0-9]{4}年|完成|新增|新建|建成|改建|改造|达到|实现|培训|开展|其中|力争|争取"
)
_POST_CMP = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~"}
# Words right before the number; the longest is tried first, so 不超过 is not read as 超过.
_PRE_CMP = {"至少": ">=", "不少于": ">=", "不低于": ">=", "不小于": ">=", "超过": ">=", "多于": ">=",
            "高于": ">=", "大于": ">=", "最低": ">=", "不超过": "<=", "不高于": "<=", "不多于": "<=",
            "不大于": "<=", "最多": "<=", "最高": "<=", "低于": "<=", "少于": "<=", "小于": "<=",
            "可至": "<=", "逾": ">=", "约": "~", "大约": "~", "近": "~", "将近": "~", "接近": "~"}  # fmt: skip
_NEARLY = ("近", "将近", "接近")
# 近 that is not "nearly": 最近, 附近, 邻近, 靠近, 就近, 亲近, 贴近.
_NOT_NEARLY = ("最近", "附近", "邻近", "靠近", "就近", "亲近", "贴近")
# Comparators that hold for every number after them in the statement: 每个盟市至少1所…、1所…;
# 不低于…收入的60%; a cap stated with its verb: 最高补贴…费用的70%, 最高给予500万元.
_SPREAD_CMP = re.compile(
    r"至少|不少于|不低于|不超过|不高于|最高(?=可?(?:补贴|补助|奖励|奖补|给予|资助|支持|可达|达到|按))"
)
# A limit set on how often or how much: 每人每年只享受一次, 仅限1次.
_ONLY = re.compile(r"(?<!不)[只仅][\u4e00-\u9fff]{0,3}$")
# Units that qualify a noun (65岁以上老年人, 3个月) unless a comparator makes them the goal.
_QUALIFIERS = frozenset(("岁", "周岁", "年", "个月", "天", "小时"))
# A verb that makes a duration the goal: 办理时限压缩至5天以内, 控制在3个月.
_GOAL_VERB = re.compile(
    r"(?:压缩|缩短|控制|减少|降低|延长|提高|保持|稳定|缩减)(?:至|到|在)$|[减降]至$"
)
# Sizes that describe a thing: 100平方米以上的活动站点.
_SIZES = frozenset(("平方公里", "平方米", "立方米", "公里", "千米", "米", "公顷", "千瓦时", "千瓦", "千克", "公斤", "吨", "斤", "亩", "㎡", "平米"))  # fmt: skip
# Distances that place a thing rather than measure what is done: 站点50米范围内, 周边50米内.
_DISTANCES = frozenset(("米", "公里", "千米"))
_WITHIN = re.compile(rf"{_S}(?:范围|内|之内|以内)")
# A Chinese numeral counts only with these units and when the text makes it a count (after a
# verb of doing or a comparator, summing up a list, opening a statement): 打造一个示范点,
# 至少一个旗县, 白名单、月调度、核查三项制度 — not 三级医院, 党的二十大, 一支队伍, 三个城市副中心.
_CN_UNITS = frozenset(("个", "家", "所", "名", "人", "项", "种", "部", "本", "张", "套", "座", "条", "间", "处", "篇", "场", "台", "辆", "户", "位", "件", "类", "大", "次"))  # fmt: skip
# One of these after 一 is an article (一个平台, 一套制度, 一批项目), unless counted out (至少一个,
# 每个盟市打造一个).
_ARTICLES = frozenset(("个", "套", "批", "支", "种", "项", "类", "件", "次", "大"))
_DOING = (
    r"打造|建设|建成|新建|创建|培养|培育|设立|建立|推出|完成|遴选|选择|选派|达到|争取|力争|推广|"
    r"制定|引进|新增|扶持|支持|实施|组建|举办|召开|开展|认定|评选|命名|出台|编制|编纂|创作|增加|"
    r"确定|形成|招募|招收|选拔|培训|推进|落实"
)
_CN_VERBS = re.compile(rf"(?:{_DOING}|建)$")
_CN_RANGES = {"一两": (1, 2), "两三": (2, 3), "三四": (3, 4), "三五": (3, 5), "四五": (4, 5),
              "五六": (5, 6), "六七": (6, 7), "七八": (7, 8), "八九": (8, 9)}  # fmt: skip
# The items of a list a numeral may sum up: 社区矫正、刑释解教和吸毒(三类人员).
_LIST_TAIL = re.compile(r"[^,;。:!?\n]*$")
_LAST_AND = re.compile(r"[和及与]")
# A change from one value to another: 由9600元提高到…, 从75%提高到…, 从10万元降至…,
# 由30%以上阶段性提高至40%以上.
_FROM = re.compile(r"[由从]")
_CHANGE = (
    r"(?:提高|提升|增加|增长|上升|上调|降低|减少|下降|下调|压减|压缩|缩减|缩小|扩大|放宽|延长|缩短|调整|"
    r"[增降升减提扩])(?:到|至|为)"
)
_FROM_TO = _lazy(rf"{_S}(?:[\u4e00-\u9fff]{{1,4}}?)??{_CHANGE}")
# The end a moving threshold is taken to: 由9600元以下提高到15600元以下.
_TO_BOUND = _lazy(rf"(?:以上|以下){_S}{_CHANGE}$")
# A bare magnitude (亿, 万) counting people or pupils that exist: 14亿多中国人, 有2.9亿在校学生.
_BARE_MAGNITUDES = frozenset(("万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿"))
_PEOPLE = _lazy(r"多[\u4e00-\u9fff]{0,8}?(?:人|民|口|众|生|工|童|者)")
# A quantity closed by 的 and a break (入围企业为2家的,) or naming a portion (…300万元部分)
# says when or to what a measure applies.
_CONDITION = re.compile(
    rf"(?:{_S}[-~—至到]{_S}[0-9]{{1,12}}(?:\.[0-9]{{1,6}})?{_S}(?:{_UNIT}))?{_S}(?:的{_S}[,;。:]|的?部分)"
)
_NOUN_THRESHOLD = re.compile(r"[\u4e00-\u9fff]{1,4}(?:以上|以下)")
# An amount that sizes the thing counted next: 新增50亿元工业企业1家, 10亿元以上工业企业3家.
_SIZED_COUNT = _lazy(
    rf"(?!{_DOING}|用于|带动|撬动|吸引|拉动)[\u4e00-\u9fff“”\"]{{1,10}}[0-9]{{1,12}}(?:家|个|所|项|户|座|条)"
)
# 对 that opens the party a measure applies to (对拥有1套住房…的家庭): not 对接, 针对性, 相对.
_TO_PARTY = re.compile(r"(?<![面相绝核比应])对(?![接口象应标比照称外话于])")
# A grant: the numbers before it in its sentence say who earns it (组织不少于300人的团队,给予…).
_GRANT = re.compile(r"给予|予以")
# The state of things now, not a commitment: 目前注册用户数已突破715万.
_NOW = re.compile(r"(?<![\u4e00-\u9fff])目前|截至目前|已(?:经)?(?:突破|达到|超过|累计)")
_AHEAD = re.compile(r"到|力争|争取|确保|将|计划|预计|目标|实现|基础上|新增")
# A metric is the noun phrase printed right before the number, through a verb that links the
# two (签约率达90%, 国内生产总值增长6%, 参保率由90%增加到95%), or, failing that, the last name
# of a measure in the statement (签约率达全市常住人口90%). Nothing else is guessed.
_LINK = re.compile(
    r"(?:分别|年均|均|总体|平均|稳定|力争|争取|要|应)?"
    r"(?:(?P<change>提高|提升|增长|增加|扩大|降低|下降|减少|缩短|压缩|压减)(?P<to>到|至)?|达到|达|控制在|"
    r"保持在|稳定在|突破|为)$"
)
# A change without 到/至 links a metric to a rate or a sum of money (增长6%, 增加1500亿元); before
# other units it is a verb of doing (缓拥堵提升21个点位, 改造提升2万亩).
_RATES = frozenset(("%", "‰", "个百分点", "百分点", "倍"))
# A base the change is measured from: 由90%, 从22个工作日, 较上年, 比2022年.
_BASE = re.compile(
    r"(?:[由从][^,;。0-9]{0,6}[0-9][^,;。]{0,16}|较[^,;。]{1,8}|比(?:上年|去年|[0-9]{4}年)|同比|环比)$"
)
# When the statement sets it, printed between the metric and its verb: 入统率2025年第一季度达到….
_WHEN = re.compile(
    r"(?:[0-9]{4}年(?:底|末)?|全年|年底|年内|当年|今年|明年|每年)?"
    r"(?:第?[一二三四]季度|上半年|下半年|[0-9]{1,2}月(?:底|末)?)?(?:前|内)?$"
)
_WHEN_LONGEST = 16  # characters: a match of _WHEN is at most 11 long, so it lies in the last 16
# What follows a number in a run of words: 2025年第一季度…, 10万元….
_AFTER_NUMBER = _lazy(r"(?:年|月|日)?(?:底|末|内|初)?(?:第?[一二三四]季度|上半年|下半年)?")
_UNIT_START = _lazy(rf"(?:{_UNIT})")
_METRIC_END = re.compile(
    # A cheap first look: the first characters of the names below (4x faster on digits).
    r"(?=[率比占人数总寿经产收面规指覆量涨增降幅时天次金额价成费强密浓里值])"
    r"(?:率|比例|比重|占比|人数|数量|总量|总值|总额|寿命|经费|产量|收入|面积|规模|指数|覆盖面|涨幅|增幅|"
    r"增速|降幅|幅度|时间|时长|时限|天数|次数|金额|额度|价格|成本|费用|强度|密度|浓度|里程|[数量额值])"
    r"(?=分别|均|总体|平均|稳定|力争|达到|达|提高|提升|增长|下降|降低|减少|增加|为|保持|控制|超过|突破|"
    r"缩短|压缩|扩大|不低于|不少于|不超过|不高于|[ \t0-9]|$)"
)
_METRIC_STOP = frozenset("的和与及或、在对从由把将使让其等")
# Words that open a metric's phrase without being part of its name: 全市…, 力争覆盖比例.
_LEADS = ("全市", "全区", "全省", "全国", "全县", "全年", "今年", "明年", "各地", "各区", "力争",
          "争取", "确保", "努力", "推动", "推进", "促进", "带动", "实现", "保持", "加快", "持续",
          "不断", "进一步", "全面", "年底", "年内", "安排", "总计", "累计", "合计", "共计", "按")  # fmt: skip


def find_targets(text: str, context: Context) -> list[Hit]:
    """Targets in folded clause text; fields: value, max, unit, cmp, metric."""
    layout = Layout(text)
    hits: list[Hit] = []
    for m in _PATTERN.finditer(text):
        found = _target(m, text, layout)
        if found is not None:
            start, fields = found
            if (
                fields["metric"] is None
                and hits
                and start - hits[-1].end <= 2
                and hits[-1].fields["metric"] is not None  # (else there is nothing to carry)
                and _listed_after(text, hits[-1].end, start)
            ):
                fields["metric"] = hits[-1].fields["metric"]  # 分别达到73%和83%
            hits.append(Hit(start, m.end(), fields))
    return hits


def _listed_after(text: str, end: int, start: int) -> bool:
    """Whether ``text[start]`` follows the item ending at ``end`` in one list (73%和83%)."""
    return 0 <= start - end <= 2 and not text[end:start].strip("、和及与 \t")


def _unit(
    pct: str | None, first: str | None, sep: str | None, magnitude: str | None, measure: str | None
) -> str | None:
    """The unit as printed, less 多/余: 1万余人 → 万人, 300万—600万美元 → 万美元."""
    if pct:
        if (sep and measure != "%") or (not sep and measure):
            return None  # 5%-10人, 80%人
        measure = "%"
    if first and first != magnitude:
        return None
    if measure in ("%", "‰") and magnitude:
        return None
    unit = (magnitude or "") + (measure or "")
    return unit or None


def _target(m: re.Match[str], text: str, layout: Layout) -> tuple[int, dict[str, object]] | None:
    """The target's start (taking in a comparator printed before it) and fields, or None."""
    start, end = m.span()
    num, pct, first, sep, num2, more, magnitude, more2, measure, post = m.groups()
    unit = _unit(pct, first, sep, magnitude, measure)
    if unit is None or layout.quoted(start, end):
        return None  # no unit; or a name or slogan: “3211”行动, “百名医师讲中医”
    bracket = layout.bracket_start(start)
    if bracket is not None and not _BRACKET_TASK.search(text, max(bracket, start - _REACH), start):
        return None  # a gloss: 特色园20座(区域面积1000平米以上), 技术标准(pH值6-7,…)
    # The statement before the number, at most _REACH characters of it.
    statement_start = layout.segment_start(start)
    before = text[max(statement_start, start - _REACH) : start].rstrip(" \t")
    if before.endswith(("第", "每")) or (
        before.endswith("前")
        and not before.endswith(_TIME_BEFORE)
        and not (num[0].isdigit() and unit in ("家", "户", "个", "所"))
    ):
        return None  # an ordinal (第三批), a rate's base (每千人), a rank (前10位) — not 前900家
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
            if value is None or not _counted(value, unit, text, end, before, pre):
                return None
    if value is None or (high is not None and high <= value):
        return None
    after = text[end : end + 12]
    if not _committed(m, unit, more or more2, text, layout, before, after, pre):
        return None
    spread: list[re.Match[str]] = []
    if high is not None:
        cmp = "range"
    elif post:
        cmp = _POST_CMP[post]
    elif more or more2:
        cmp = ">="  # 1300多项, 240余座
    elif pre:
        cmp = pre
    elif _only(before):
        cmp = "<="  # 每人每年只享受一次
    else:
        # (comparators are Chinese words: an ASCII run before the number, as in a table of
        # figures, holds none, and the search is skipped)
        spread = [] if before.isascii() else list(_SPREAD_CMP.finditer(before))
        cmp = _PRE_CMP[spread[-1].group()] if spread else "="
    if pre:
        start = _word_start(text, start)
    elif before.endswith("前") and text[start - 1] == "前":
        start -= 1  # 前900家
    elif cmp == "<=" and not post and spread and spread[-1].group() == "最高":
        start -= len(before) - spread[-1].start()  # 最高补贴实际缴纳保费的50%
    fields: dict[str, object] = {
        "value": value,
        "max": high,
        "unit": unit,
        "cmp": cmp,
        "metric": _metric(before, unit),
    }
    return start, fields


def _only(before: str) -> bool:
    """Whether ``before`` ends on a limit of how often (只享受, 仅限): looked for in its last
    four characters, and only when 只 or 仅 is among them."""
    tail = before[-4:]
    return ("只" in tail or "仅" in tail) and bool(_ONLY.search(before, len(before) - len(tail)))


def _counted(value: int, unit: str, text: str, end: int, before: str, pre: str | None) -> bool:
    """Whether a Chinese numeral counts what the clause does rather than naming a thing.

    It counts after a comparator or a verb of doing (至少一个, 推进五大临床中心建设), when it
    sums up the list right before it (白名单、月调度、核查三项制度), as the subject that opens
    a statement (两个制造业开发区…达到…), or before the quoted name of the set (六大“卓越行动”). 一 with 个/套/批 is an article unless each of several
    gets one (每个盟市打造一个); a frequency needs its period (每年召开两次, 每人每年只享受一次).
    """
    if unit == "大" and before.endswith("的"):
        return False  # 党的二十大
    if unit == "次":
        return "每" in before
    if value == 1 and unit in _ARTICLES and not pre and "每" not in before:
        return False
    if pre or _CN_VERBS.search(before):
        return True
    if _sums_list(before, value):
        return True
    # Opening a statement (两个开发区…达到…) or counting the named set it heads (六大“卓越行动”).
    return value > 1 and (not before.strip(" \t") or text.startswith("“", end))


def _sums_list(before: str, value: int) -> bool:
    """Whether the numeral sums up as many items as the list printed right before it."""
    tail = _LIST_TAIL.search(before)
    items = tail.group() if tail else ""
    if "、" not in items or items.endswith(("、", "和", "及", "与", "或")):
        return False
    parts = items.removesuffix("等").split("、")
    count = len(parts) + (1 if _LAST_AND.search(parts[-1]) else 0)
    return count == value


def _committed(
    m: re.Match[str],
    unit: str,
    more: str | None,
    text: str,
    layout: Layout,
    before: str,
    after: str,
    pre: str | None,
) -> bool:
    """False for a number that qualifies, selects, sets a baseline or states a fact."""
    start, end = m.span()
    post = m.group("post")
    if unit in _QUALIFIERS and (
        (pre is None and not _GOAL_VERB.search(before, max(0, len(before) - 4)))
        or _pre_word(before) in _NEARLY
    ):
        return False  # 65岁以上老年人, 0-36个月儿童, 一年制度; 近3年: a period looked back on
    if unit in _SIZES and after.lstrip(" \t").startswith("的"):
        return False  # 100平方米以上的活动站点
    if unit in _DISTANCES and _WITHIN.match(after) and not before.endswith(("控制在", "缩短至")):
        return False  # 站点50米范围内: where, not how much
    if not post and after and "\u4e00" <= after[0] <= "\u9fff" and _NOUN_THRESHOLD.match(after):
        return False  # 1万名老人以上的街(镇), 200张床位以上的机构
    if (
        post in ("以上", "以下")
        and before.endswith("在")
        and not before.endswith(("控制在", "保持在", "稳定在", "维持在"))
    ):
        return False  # 投资规模在5000万元以上项目: a threshold that selects
    changed = ("由" in before or "从" in before) and _FROM.search(before)
    if changed and _FROM_TO().match(after):
        return False  # 由9600元提高到…, 从75%提高到…: where it starts, not where it must get
    if changed and post in ("以上", "以下") and _TO_BOUND().search(before):
        return False  # 由9600元以下提高到15600元以下: a threshold that moves, not a goal
    if ("的" in after or "部分" in after) and _CONDITION.match(after):
        return False  # 为2家的, / 100万元至300万元部分: what a measure applies to
    if unit in _BARE_MAGNITUDES and (
        before.endswith("有") or _PEOPLE().match(f"多{after}" if more else after)
    ):
        return False  # 我国有2.9亿在校学生, 14亿多中国人: a fact, not a commitment
    if "元" in unit and _SIZED_COUNT().match(after):
        return False  # 新增50亿元工业企业1家: the size of what is counted
    # Every look around the number is bounded, so a clause of one endless statement stays linear.
    statement_end = min(layout.segment_end(end), end + _REACH)
    rest = text[end:statement_end]
    if post in ("以上", "以下") and not before and "的" in rest[1:]:
        return False  # 10名以上“五保”老人…的行政村: the subject the statement picks out
    if "基础上" in rest:
        return False  # 在已有120家的基础上: the base a target builds on
    if rest.endswith("的") and text[statement_end : statement_end + 1] in (",", ";", ":"):
        return False  # 团购规模超过30套(含)不足100套的,: a condition
    if "的" in rest and (not rest.startswith("的") or post in ("以上", "以下") or pre):
        party = layout.last_mark(_TO_PARTY, start - len(before), start)
        if party is not None and "的" not in text[party:start]:
            return False  # 对拥有1套住房并已结清…的家庭: the party a measure applies to
    sentence_start = layout.sentence_start(start)
    if (
        "元" not in unit
        and unit != "%"  # (the cheap looks first)
        and (pre or more or post in ("以上", "以下", "及以上") or _SPREAD_CMP.search(before))
        and layout.last_mark(_GRANT, sentence_start, start) is None
        and layout.last_mark(_GRANT, end, layout.sentence_end(end)) is not None
    ):
        return False  # 组织不少于300人的团队,给予…奖补: what earns the grant
    now = layout.last_mark(_NOW, sentence_start, start)
    return now is None or layout.last_mark(_AHEAD, now, start) is not None


def _pre_cmp(before: str) -> str | None:
    word = _pre_word(before)
    return _PRE_CMP[word] if word else None


_PRE_LAST = frozenset(word[-1] for word in _PRE_CMP)  # a cheap first look at ``before``


def _pre_word(before: str) -> str | None:
    if before[-1:] not in _PRE_LAST:
        return None
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


def _metric(before: str, unit: str) -> str | None:
    """What the number measures, when the statement names it: 签约率达…90%, 健康管理率分别达到…."""
    if before.isascii():
        return None
    word = _pre_word(before)
    head = before[: len(before) - len(word)].rstrip(" \t") if word else before
    link = _LINK.search(head, max(0, len(head) - 8))  # a verb and its adverb: 8 at most
    if link and (
        not link.group("change")
        or link.group("to")
        or unit in _RATES
        or "元" in unit
        or unit in _BARE_MAGNITUDES
    ):
        head = head[: link.start()]
        base = _BASE.search(head)
        if base:
            head = head[: base.start()]
        when = _WHEN.search(head, max(0, len(head) - _WHEN_LONGEST))
        name = _noun_phrase(head[: when.start()] if when else head, len(head))
        if name:
            return name
    ends = [m.end() for m in _METRIC_END.finditer(before)]
    return _noun_phrase(before, ends[-1]) if ends else None


def _noun_phrase(text: str, end: int) -> str | None:
    """The run of words ending at ``end``, less the words that lead into it; None if too short."""
    end = min(end, len(text))
    start = end
    while (
        start > 0
        and "\u4e00" <= text[start - 1] <= "\u9fff"
        and text[start - 1] not in _METRIC_STOP
    ):
        start -= 1
    name = text[start:end]
    if start > 0 and text[start - 1].isdigit():
        name = name[_AFTER_NUMBER().match(name).end() :]  # type: ignore[union-attr]
        if _UNIT_START().match(name):
            return None  # 10万元… : the tail of a number, not a name
    while lead := next((word for word in _LEADS if name.startswith(word)), ""):
        name = name[len(lead) :]
    return name if 2 <= len(name) <= 16 else None
