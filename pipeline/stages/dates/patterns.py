"""Regular expressions of the date rules, on normalized text (see tables.NORM).

``PATTERNS`` recognizes candidate spans, one alternation compiled as ``MASTER``; the
``D_*`` detail patterns pull fields out of a recognized span.
"""

from __future__ import annotations

import re

from pipeline.stages.dates.tables import (
    FIXED_HOLIDAYS,
    LUNAR_HOLIDAYS,
    NOT_AFTER_DAY,
    NOT_AFTER_NIANZHONG,
    NOT_AFTER_WEEKDAY_RI,
    NOT_BEFORE_YPART,
    NOWADAYS_NOUNS,
    RULE_HOLIDAYS,
)

SP = "[ ]?"
_CD = "〇零一二三四五六七八九"
_NUMLB = "0-9〇零一二三四五六七八九十两百千万廿"
# A year: 1000-2099, but not a round 1x00 counting years (1000年前, 1500年来).
_Y4 = r"(?:(?!1[0-9]00[ ]?年(?:前|来|以来|之久|历史|的历史))1[0-9]{3}|20[0-9]{2})"
_Y4CN = f"[{_CD}]{{4}}"
_YROC_N = "(?:[0-9]{1,3}|[〇零一二三四五六七八九十百]{1,5})"
_YREL = (
    r"(?:大前年|大后年|(?<!过)去年|(?<![目提空当之以此眼跟面年])前年"
    r"|(?<![之以此然最今落背前日随其往])后年|今年"
    r"|(?<![文聪光英高鲜分说声表证阐发申透清黎简精开澄查标注])明年"
    r"|上年(?![纪龄级])|下年(?![纪级])|来年)"
)
# A two-digit year (98年, 零七年) only when a month, quarter or half follows.
_Y2 = (
    r"(?<![0-9A-Za-z.〇零一二三四五六七八九十])(?:[0-9]{2}|[〇零一二三四五六七八九]{2})[ ]?年"
    r"(?=[0-9一二三四五六七八九十元]{1,2}[ ]?月|第?[一二三四1-4]季|首季|[上下]半年)"
)
# A bare three-digit ROC year (109年8月15日 in Taiwanese text) when a month, quarter or
# half follows: Gregorian years 100-149 do not occur in news.
_Y3ROC = (
    r"(?<![0-9A-Za-z.])1[0-4][0-9][ ]?年"
    r"(?=[0-9一二三四五六七八九十元]{1,2}[ ]?月|第?[一二三四1-4]季|首季|[上下]半年)"
)
_YEAR = (
    rf"(?:(?:公元|西元)?(?:{_Y4}|{_Y4CN}){SP}年(?![代级])|民国{_YROC_N}{SP}年"
    rf"|{_YREL}|{_Y3ROC}|{_Y2})"
)
MONN = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_MON = (
    rf"(?!五月天)(?:{MONN}{SP}|(?<![美日欧港台韩澳加英币亿万千百十人民新0-9])元)"
    r"月(?![球亮光饼薪票]|革命)(?:份)?"
)
DAYN = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|廿[一二三四五六七八九]?"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
_DAY = rf"{DAYN}{SP}[日号](?![0-9])"
# A day written without 日 right after a month (1月3, 十月31), not before a unit.
_DAY_NOUNIT = (
    r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9万千百亿个人%.年月日号天点时分秒余多几届次名位家所条项倍元块岁度"
    r"期批轮件座架艘辆吨米里公斤克美英欧港台澳新比加例:/\-])"
)
_MPART = (
    r"(?:初(?![一二三四五六七八九十])|底|末|中下旬|中上旬|上旬|中旬|下旬"
    r"|中(?=[，。、；,;\s）)]|前|后|以前|以后|左右))"
)
_YPART = (
    r"(?:年?(?:初(?![一二三四五六七八九十])|底(?![线部层气蕴牌薪])|末|尾)"
    rf"|年中(?![{NOT_AFTER_NIANZHONG}]))"
)
_QUARTER = r"(?:第[一二三四1-4]季度|[一二三四1-4]季度|首季度)"
_QUARTER_Y = rf"(?:{_QUARTER}|首季|第[一二三四1-4]季|[Qq][1-4](?![0-9]))"
_HALF = r"[上下]半年"
_SEASON = r"[春夏秋冬][天季](?![奥运残赛档装风学班号攻]|达沃斯)"
_SEASON_Y = r"[春夏秋冬][天季]?(?![节奥运残赛档装风学班号攻]|达沃斯)"
_SEP = r"(?:至|到|-|~|—|–|——)"

_FIXED_ALT = "|".join(
    sorted(
        (k for k in FIXED_HOLIDAYS if k not in ("五一", "圣诞", "国庆", "十一")),
        key=len,
        reverse=True,
    )
)
_LUNAR_ALT = "|".join(
    sorted((k for k in LUNAR_HOLIDAYS if k not in ("中秋", "端午", "重阳")), key=len, reverse=True)
)
HOLIDAY_NAMES = "|".join(
    sorted([*FIXED_HOLIDAYS, *LUNAR_HOLIDAYS, *RULE_HOLIDAYS, "清明"], key=len, reverse=True)
)
HOLIDAY = (
    rf"(?:{_LUNAR_ALT}|{_FIXED_ALT}|{'|'.join(RULE_HOLIDAYS)}"
    r"|清明(?=假|小长假|期间|前后)|(?:中秋|端午|重阳)(?!节)"
    r"|(?<![0-9一二三四五六七八九十])五一(?![0-9一二三四五六七八九十])"
    r"|(?<![0-9一二三四五六七八九十双第])十一(?=期间|假期|长假|小长假|黄金周|当天|前夕)"
    r"|圣诞(?![节夜老树卡礼歌装帽市购大])|国庆(?![节日]))"
)
_YEARED = (
    rf"(?<![0-9A-Za-z]){_YEAR}(?:{SP}{_MON}(?:{SP}{_DAY}|{_MPART}|{_DAY_NOUNIT})?"
    rf"|的?{_QUARTER_Y}|的?{_HALF}|{_SEASON_Y}|{HOLIDAY}|{_YPART})?"
)
_MONTHED = (
    rf"(?<![{_NUMLB}个几数第每前头])(?<![0-9]\.)(?<![当同该那是次翌]年){_MON}"
    rf"(?:{SP}{_DAY}|{_MPART}|{_DAY_NOUNIT})?"
)
_WPFX = r"(?:上上个?|下下个?|上一?个?|下一?个?|本|这一?个?|今个)"
_WD_ZHOU = rf"(?:[一二三四五六]|日(?![{NOT_AFTER_WEEKDAY_RI}]))"
_WD = rf"(?:天|{_WD_ZHOU})"

_EN_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

# (kind, pattern) in priority order: at one position the first kind that matches wins.
PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "stamp",
        r"(?<![^）)。」』\s])1[0-4][0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
        r"(?=[ \t]*(?:\n|\r|$|<))",
    ),
    (
        "iso",
        r"(?<![0-9A-Za-z./\-:])(?:19|20)[0-9]{2}(?P<isosep>[-/.])(?:1[0-2]|0?[1-9])(?P=isosep)"
        r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])",
    ),
    # day/month/year as written in rfi's (French) headers: 08/04/2024 is 8 April
    (
        "dmy",
        r"(?<![0-9A-Za-z./\-:])(?:3[01]|[12][0-9]|0?[1-9])/(?:1[0-2]|0?[1-9])/(?:19|20)[0-9]{2}"
        r"(?![0-9/])",
    ),
    # English dates in quoted tweets and captions: October 19, 2020 / 19 October 2020
    (
        "english",
        rf"(?<![A-Za-z]){_EN_MONTH}\.? (?:3[01]|[12][0-9]|0?[1-9]),? (?:19|20)[0-9]{{2}}(?![0-9])"
        rf"|(?<![0-9A-Za-z])(?:3[01]|[12][0-9]|0?[1-9]) {_EN_MONTH}\.?,? (?:19|20)[0-9]{{2}}(?![0-9])",
    ),
    (
        "nrange",
        rf"(?<![{_NUMLB}个几数第每])(?<![0-9]\.)(?:{_YEAR}{SP})?{MONN}{SP}月{SP}"
        rf"{DAYN}{SP}"
        rf"{_SEP}{SP}{DAYN}{SP}[日号](?![0-9])"
        rf"|(?<![{_NUMLB}个几数第每])(?<![0-9]\.)(?:{_YEAR}{SP})?{MONN}{SP}{_SEP}{SP}{MONN}{SP}月"
        rf"(?![球亮光饼薪票])"
        rf"|(?<![0-9A-Za-z]){_Y4}{SP}{_SEP}{SP}{_Y4}{SP}年(?![代级])",
    ),
    (
        "decade",
        rf"(?<![0-9])(?:(?:上个?|本|二十一?|2[01]){SP}世纪)?"
        rf"(?:1[0-9]{{3}}|20[0-9]{{2}}|[0-9]{{2}}|[{_CD}]{{4}}|[一二三四五六七八九]十|[〇零]{{1,2}})"
        rf"{SP}年代(?:初期|末期|中期|前期|后期|初|末)?",
    ),
    ("yeared", _YEARED),
    ("bareyear", rf"(?<![0-9.\-/:]){_Y4}(?:(?=新年|新春|跨年|才|刚|大选)|{HOLIDAY})"),
    ("monthed", _MONTHED),
    (
        "relmonth",
        rf"(?:上上个月|上个月|下个月|这个月|今个月|本月|(?<![登飞奔])上月(?![球亮光台])"
        rf"|下月(?![球亮光台]))(?:{SP}{_DAY}|{_MPART})?",
    ),
    (
        "namedweek",
        rf"{_WPFX}(?:周|星期|礼拜)?(?:周{_WD_ZHOU}|(?:星期|礼拜){_WD}"
        r"|(?:周|星期|礼拜)(?:末|(?![期年边围刊报岁])))",
    ),
    ("weekday", rf"(?<![每逢隔四一两二三几数个上下本这周])(?:(?:星期|礼拜){_WD}|周{_WD_ZHOU})"),
    (
        "relday",
        r"(?:大大前天|大大后天|大前天|大后天|(?<!版)本日(?!报)"
        r"|(?<![提目空当之以此面日])前日(?![本军方韩美籍企媒语元圆币内里子])"
        rf"|(?<!的)(?<!时至)今天(?!的(?:{NOWADAYS_NOUNS}))"
        r"|(?<!时至)今日(?![美俄头说之中关焦亚])|(?<!的)昨天|昨日|(?<!的)(?<!美好)明天(?!会更好)"
        r"|明日(?![之黄香])|(?<![提目空当之以此面])前天(?![津下安堂皇])"
        r"|(?<![然之以此最先落背随其往日今前])后天(?![津下性气然空际])"
        r"|今晨|今早|昨晚|昨夜|昨晨|今晚(?!报)|今夜|明晚|明早|明晨)",
    ),
    ("holiday", HOLIDAY),
    (
        "quarter",
        rf"(?<![{_NUMLB}]){_QUARTER}|(?:上一?个?|下一?个?|本|这一?个?)季度"
        r"|(?<![剧片目档的])第[一二三四1-4]季(?![度赛集剧播节])",
    ),
    ("half", r"(?<![0-9〇零一二三四五六七八九十])[上下]半年"),
    (
        "season",
        rf"(?<![的])(?:{_SEASON}|(?:(?<!过)去|今|(?<![文聪光英高鲜分说声表证])明)"
        r"[春夏秋冬](?![天季节泳眠训令装风]))",
    ),
    (
        "ypart",
        rf"(?<![{_NUMLB}{NOT_BEFORE_YPART}])"
        r"年(?:初(?![一二三四五六七八九十])|底(?![线部层气蕴牌薪])|末|尾"
        rf"|中(?![{NOT_AFTER_NIANZHONG}]))",
    ),
    (
        "mpart",
        rf"(?<![{_NUMLB}个当该同本上下岁每年])(?:月初(?![一二三四五六七八九十])|月底|月末"
        r"|月中旬|(?<!月)[上中下]旬)",
    ),
    (
        "day",
        rf"(?<![{_NUMLB}第每个数几前近这那逐隔今昨明后翌次当同某节诞忌周初.:/]"
        rf")(?:[0-9]{{1,2}}|三十一?|二?十[一二三四五六七八九]?|廿[一二三四五六七八九]?)"
        rf"{SP}日(?![{NOT_AFTER_DAY}0-9]|平均|移动)",
    ),
)

# Every pattern starts with one of these characters. The leading lookahead lets
# the regex engine reject most positions with one set test (a much faster scan).
FIRST_CHARS = (
    "0-9〇零一二三四五六七八九十两廿公西民今去明前后上下本这来大第首Qq春夏秋冬周星礼昨月年"
    "元情妇植愚劳国青儿建教双万光平圣耶跨农除端七中重腊母父感复清阳JFMASOND"
)
MASTER = re.compile(
    f"(?=[{FIRST_CHARS}])(?:" + "|".join(f"(?P<{kind}>{pat})" for kind, pat in PATTERNS) + ")"
)
RANGE_SEP = re.compile(rf"[ ]?{_SEP}[ ]?")
# Two mentions joined by 至/到/- form one range only within a family
# (1月5日至7日, 周一至周五, 今晚至明天); 星期六到圣诞节 stays two mentions.
RANGE_FAMILY = {
    "yeared": "calendar",
    "monthed": "calendar",
    "day": "calendar",
    "iso": "calendar",
    "dmy": "calendar",
    "relmonth": "calendar",
    "namedweek": "week",
    "weekday": "week",
}
NEVER_RANGE = ("stamp", "nrange", "holiday", "bareyear", "ypart", "mpart")
RANGE_DAY_END = re.compile(rf"[ ]?{_SEP}[ ]?(?P<d>{DAYN})[ ]?[日号](?![0-9])")

# Detail patterns: field extraction inside an already recognized span.
_D_YEAR = (
    rf"(?:(?:公元|西元)?(?P<ya>{_Y4}|{_Y4CN}){SP}年|民国(?P<yroc>{_YROC_N}){SP}年"
    r"|(?P<yrel>大前|大后|去|前|后|今|明|上|下|来)年"
    r"|(?P<yroc3>1[0-4][0-9])[ ]?年"
    r"|(?P<yy>[0-9]{2}|[〇零一二三四五六七八九]{2})[ ]?年)"
)
D_MON = rf"(?P<m>{MONN}|元){SP}月份?"
D_DAY = rf"(?:(?P<d>{DAYN}){SP}[日号]|(?P<d2>[0-9]{{1,2}}))"
D_DAY_RE = re.compile(rf"[ ]?{D_DAY}")
D_MPART = r"(?P<mp>初|底|末|中下旬|中上旬|上旬|中旬|下旬|中)"
D_YEARED = re.compile(
    rf"{_D_YEAR}(?:{SP}{D_MON}(?:{SP}{D_DAY}|{D_MPART})?"
    r"|的?(?:第?(?P<q>[一二三四1-4])季度?|首季度?|[Qq](?P<qq>[1-4]))"
    rf"|的?(?P<h>[上下])半年|(?P<hol>{HOLIDAY_NAMES})|(?P<s>[春夏秋冬])[天季]?"
    r"|(?P<yp>年?(?:初|底|末|尾|中)))?"
)
D_NRANGE = re.compile(
    rf"(?:{_D_YEAR}{SP})?(?:(?P<m>{MONN}){SP}月{SP})?(?P<a>[^至到\-~—– ]+?){SP}{_SEP}{SP}"
    r"(?P<b>[^至到\-~—– ]+?)[ ]?(?P<unit>[年月日号])"
)
D_DECADE = re.compile(
    r"(?:(?P<cent>上个?|本|二十一?|2[01])[ ]?世纪)?"
    r"(?P<n>[0-9]{2,4}|[〇零一二三四五六七八九十]{1,4})"
)

D_WEEKPFX = re.compile(
    r"(?P<p>上上个?|下下个?|上一?个?|下一?个?|本|这一?个?|今个)(?:周|星期|礼拜){1,2}(?P<w>.?)"
)
