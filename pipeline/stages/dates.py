"""DATE stage: find calendar expressions in Chinese news text and normalize them.

Rule-based and pure Python. Recognition follows ../shared/ANNOTATION.md ("DATE and
its value"); values are resolved against the article's publication date, given
as a local calendar date (see ``local_date`` and ``zone_for_url``).

The text is first mapped character by character (same length, so offsets hold)
to half-width digits and Simplified forms of the few Traditional characters the
patterns use; one precompiled alternation then finds candidate spans, and a
small parser per expression kind turns each span into a value.

Value formats (TIMEX3-like): ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-Www``
(ISO week), ``YYYY-Www-WE`` (weekend of an ISO week), ``YYYY-Qn``, ``YYYY-Hn``,
``YYYY-SP|SU|FA|WI``, decade ``199``, interval ``start/end``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lunardate import LunarDate

from pipeline.defaults import DEFAULT_ZONE

__all__ = [
    "DateMention",
    "find_dates",
    "local_date",
    "normalize_date",
    "value_interval",
    "zone_for_url",
]


# ---------------------------------------------------------------------------
# Data: character normalization, time zones, holidays, vocabulary
# ---------------------------------------------------------------------------


# Outlet host (a suffix of the URL's host) -> IANA zone of the newsroom whose
# local calendar the relative expressions (今天, 周四) refer to. Longest suffix wins.
OUTLET_ZONES: dict[str, str] = {
    # Taiwan
    "cna.com.tw": "Asia/Taipei",
    "rti.org.tw": "Asia/Taipei",
    "epochtimes.com.tw": "Asia/Taipei",
    "udn.com": "Asia/Taipei",
    "ltn.com.tw": "Asia/Taipei",
    "storm.mg": "Asia/Taipei",
    "setn.com": "Asia/Taipei",
    "ettoday.net": "Asia/Taipei",
    "chinatimes.com": "Asia/Taipei",
    "twreporter.org": "Asia/Taipei",
    "pts.org.tw": "Asia/Taipei",
    "cw.com.tw": "Asia/Taipei",
    # Hong Kong, Singapore
    "rthk.hk": "Asia/Hong_Kong",
    "hk01.com": "Asia/Hong_Kong",
    "scmp.com": "Asia/Hong_Kong",
    "mingpao.com": "Asia/Hong_Kong",
    "thestandnews.com": "Asia/Hong_Kong",
    "zaobao.com": "Asia/Singapore",
    "zaobao.com.sg": "Asia/Singapore",
    # United States (Chinese services written in Washington / New York / Berkeley)
    "voachinese.com": "America/New_York",
    "voacantonese.com": "America/New_York",
    "rfa.org": "America/New_York",
    "epochtimes.com": "America/New_York",
    "ntdtv.com": "America/New_York",
    "nytimes.com": "America/New_York",
    "wsj.com": "America/New_York",
    "chinadigitaltimes.net": "America/Los_Angeles",
    # Europe
    "rfi.fr": "Europe/Paris",
    "bbc.com": "Europe/London",
    "bbc.co.uk": "Europe/London",
    "economist.com": "Europe/London",
    "dw.com": "Europe/Berlin",
    "bitterwinter.org": "Europe/Rome",
    "sputniknews.cn": "Europe/Moscow",
    # Asia-Pacific
    "nhk.or.jp": "Asia/Tokyo",
    "nikkei.com": "Asia/Tokyo",
    "kyodonews.net": "Asia/Tokyo",
    "yna.co.kr": "Asia/Seoul",
    "chosun.com": "Asia/Seoul",
    "abc.net.au": "Australia/Sydney",
    "sbs.com.au": "Australia/Sydney",
}

# Same-length character map: full-width forms and the Traditional characters
# the patterns rely on. Applied only for matching; mentions keep original text.
_NORM_PAIRS = (
    "０0１1２2３3４4５5６6７7８8９9－-～~／/．.\u3000 \xa0 ○〇Ｏ〇ＱQｑq"
    "週周號号後后個个兩两國国禮礼節节聖圣誕诞來来這这慶庆陽阳勞劳動动兒儿萬万婦妇"
    "師师軍军黨党親亲復复當当頭头說说報报時时間间內内紀纪幾几數数級级齡龄臘腊農农"
    "曆历歷历際际運运賽赛檔档裝装風风勢势邊边圍围氣气誌志記记漸渐趨趋資资遊游韓韩"
    "語语們们亞亚關关點点羅罗愛爱樹树謝谢雙双樂乐華华龍龙達达開开發发證证聲声標标"
    "註注團团燈灯餅饼體体輪轮長长該该進进與与爾尔藥药獎奖選选舉举線线層层蘊蕴"
)
_NORM = str.maketrans(_NORM_PAIRS[0::2], _NORM_PAIRS[1::2])

_CN_DIGITS = {
    "元": 1,
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Holidays on a fixed Gregorian month-day.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1),
    "元旦节": (1, 1),
    "阳历新年": (1, 1),
    "情人节": (2, 14),
    "圣瓦伦丁节": (2, 14),
    "三八妇女节": (3, 8),
    "国际妇女节": (3, 8),
    "妇女节": (3, 8),
    "三八节": (3, 8),
    "植树节": (3, 12),
    "愚人节": (4, 1),
    "五一国际劳动节": (5, 1),
    "五一劳动节": (5, 1),
    "国际劳动节": (5, 1),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "五四青年节": (5, 4),
    "青年节": (5, 4),
    "六一儿童节": (6, 1),
    "国际儿童节": (6, 1),
    "儿童节": (6, 1),
    "建党节": (7, 1),
    "八一建军节": (8, 1),
    "建军节": (8, 1),
    "教师节": (9, 10),
    "国庆节": (10, 1),
    "国庆日": (10, 1),
    "国庆": (10, 1),
    "十一": (10, 1),  # National Day, only before 期间, 假期, 长假, 黄金周, 当天 (see _HOLIDAY)
    "双十国庆": (10, 10),
    "双十节": (10, 10),
    "万圣节": (10, 31),
    "万圣夜": (10, 31),
    "双十一": (11, 11),
    "双11": (11, 11),
    "光棍节": (11, 11),
    "国家公祭日": (12, 13),
    "平安夜": (12, 24),
    "圣诞夜": (12, 24),
    "圣诞节": (12, 25),
    "耶诞节": (12, 25),
    "圣诞": (12, 25),
    "跨年夜": (12, 31),
}
# Holidays on a fixed lunar month-day (month 0 = the eve of the lunar new year).
LUNAR_HOLIDAYS: dict[str, tuple[int, int]] = {
    "农历新年": (1, 1),
    "大年初一": (1, 1),
    "春节": (1, 1),
    "元宵节": (1, 15),
    "端午节": (5, 5),
    "端午": (5, 5),
    "七夕节": (7, 7),
    "七夕": (7, 7),
    "中元节": (7, 15),
    "中秋节": (8, 15),
    "中秋": (8, 15),
    "重阳节": (9, 9),
    "重阳": (9, 9),
    "腊八节": (12, 8),
    "除夕夜": (0, 0),
    "除夕": (0, 0),
    "大年三十": (0, 0),
}
# Holidays computed by a rule (weekday in month, Easter, solar term).
RULE_HOLIDAYS = ("母亲节", "父亲节", "感恩节", "复活节", "清明节")

SEASONS = {"春": "SP", "夏": "SU", "秋": "FA", "冬": "WI"}
# 今天的中国 means "nowadays' China": 今天 before 的 + one of these is not DATE.
NOWADAYS_NOUNS = (
    "中国|世界|社会|人|我们|年轻人|时代|科技|经济|香港|台湾|美国|全球|国际|外部|"
    "欧洲|日本|俄罗斯|大陆|中共|政府|现实|局面|成就|地位"
)
# Lookahead exclusions: words that continue a would-be date into another word.
_NOT_BEFORE_YPART = "多几数半同当该那这每新往历近晚早头童少青成老周学财个去今明前后上下本来"
# 年中 is mid-year unless 中 starts another word (2019年中美贸易, 年中期选举, 年中国).
_NOT_AFTER_NIANZHONG = (
    "国央方共文外心部东西南北美日俄欧华港台间小学医专大期考超非印韩英法德加澳巴越朝老泰新意"
    "菲缅蒙哈乌土以伊阿沙埃古墨智资信铁石建航海科层断止途标奖毒招弹转性级等型午"
)
_NOT_AFTER_DAY = "元圆币本韩方军语文籍企媒美均内游间薪工资报刊"
_NOT_AFTER_WEEKDAY_RI = "程益常记志趋渐"

# ---------------------------------------------------------------------------
# Patterns (on normalized text)
# ---------------------------------------------------------------------------

_SP = "[ ]?"
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
    rf"(?:(?:公元|西元)?(?:{_Y4}|{_Y4CN}){_SP}年(?![代级])|民国{_YROC_N}{_SP}年"
    rf"|{_YREL}|{_Y3ROC}|{_Y2})"
)
_MONN = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_MON = (
    rf"(?!五月天)(?:{_MONN}{_SP}|(?<![美日欧港台韩澳加英币亿万千百十人民新0-9])元)"
    r"月(?![球亮光饼薪票]|革命)(?:份)?"
)
_DAYN = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|廿[一二三四五六七八九]?"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
_DAY = rf"{_DAYN}{_SP}[日号](?![0-9])"
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
    rf"|年中(?![{_NOT_AFTER_NIANZHONG}]))"
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
_HOLIDAY_NAMES = "|".join(
    sorted([*FIXED_HOLIDAYS, *LUNAR_HOLIDAYS, *RULE_HOLIDAYS, "清明"], key=len, reverse=True)
)
_HOLIDAY = (
    rf"(?:{_LUNAR_ALT}|{_FIXED_ALT}|{'|'.join(RULE_HOLIDAYS)}"
    r"|清明(?=假|小长假|期间|前后)|(?:中秋|端午|重阳)(?!节)"
    r"|(?<![0-9一二三四五六七八九十])五一(?![0-9一二三四五六七八九十])"
    r"|(?<![0-9一二三四五六七八九十双第])十一(?=期间|假期|长假|小长假|黄金周|当天|前夕)"
    r"|圣诞(?![节夜老树卡礼歌装帽市购大])|国庆(?![节日]))"
)
_YEARED = (
    rf"(?<![0-9A-Za-z]){_YEAR}(?:{_SP}{_MON}(?:{_SP}{_DAY}|{_MPART}|{_DAY_NOUNIT})?"
    rf"|的?{_QUARTER_Y}|的?{_HALF}|{_SEASON_Y}|{_HOLIDAY}|{_YPART})?"
)
_MONTHED = (
    rf"(?<![{_NUMLB}个几数第每前头])(?<![0-9]\.)(?<![当同该那是次翌]年){_MON}"
    rf"(?:{_SP}{_DAY}|{_MPART}|{_DAY_NOUNIT})?"
)
_WPFX = r"(?:上上个?|下下个?|上一?个?|下一?个?|本|这一?个?|今个)"
_WD_ZHOU = rf"(?:[一二三四五六]|日(?![{_NOT_AFTER_WEEKDAY_RI}]))"
_WD = rf"(?:天|{_WD_ZHOU})"

_EN_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
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
        rf"(?<![{_NUMLB}个几数第每])(?<![0-9]\.)(?:{_YEAR}{_SP})?{_MONN}{_SP}月{_SP}"
        rf"{_DAYN}{_SP}"
        rf"{_SEP}{_SP}{_DAYN}{_SP}[日号](?![0-9])"
        rf"|(?<![{_NUMLB}个几数第每])(?<![0-9]\.)(?:{_YEAR}{_SP})?{_MONN}{_SP}{_SEP}{_SP}{_MONN}{_SP}月"
        rf"(?![球亮光饼薪票])"
        rf"|(?<![0-9A-Za-z]){_Y4}{_SP}{_SEP}{_SP}{_Y4}{_SP}年(?![代级])",
    ),
    (
        "decade",
        rf"(?<![0-9])(?:(?:上个?|本|二十一?|2[01]){_SP}世纪)?"
        rf"(?:1[0-9]{{3}}|20[0-9]{{2}}|[0-9]{{2}}|[{_CD}]{{4}}|[一二三四五六七八九]十|[〇零]{{1,2}})"
        rf"{_SP}年代(?:初期|末期|中期|前期|后期|初|末)?",
    ),
    ("yeared", _YEARED),
    ("bareyear", rf"(?<![0-9.\-/:]){_Y4}(?:(?=新年|新春|跨年|才|刚|大选)|{_HOLIDAY})"),
    ("monthed", _MONTHED),
    (
        "relmonth",
        rf"(?:上上个月|上个月|下个月|这个月|今个月|本月|(?<![登飞奔])上月(?![球亮光台])"
        rf"|下月(?![球亮光台]))(?:{_SP}{_DAY}|{_MPART})?",
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
    ("holiday", _HOLIDAY),
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
        rf"(?<![{_NUMLB}{_NOT_BEFORE_YPART}])"
        r"年(?:初(?![一二三四五六七八九十])|底(?![线部层气蕴牌薪])|末|尾"
        rf"|中(?![{_NOT_AFTER_NIANZHONG}]))",
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
        rf"{_SP}日(?![{_NOT_AFTER_DAY}0-9]|平均|移动)",
    ),
)

# Every pattern starts with one of these characters. The leading lookahead lets
# the regex engine reject most positions with one set test (a much faster scan).
FIRST_CHARS = (
    "0-9〇零一二三四五六七八九十两廿公西民今去明前后上下本这来大第首Qq春夏秋冬周星礼昨月年"
    "元情妇植愚劳国青儿建教双万光平圣耶跨农除端七中重腊母父感复清阳JFMASOND"
)
_MASTER = re.compile(
    f"(?=[{FIRST_CHARS}])(?:" + "|".join(f"(?P<{kind}>{pat})" for kind, pat in PATTERNS) + ")"
)
_RANGE_SEP = re.compile(rf"[ ]?{_SEP}[ ]?")
# Two mentions joined by 至/到/- form one range only within a family
# (1月5日至7日, 周一至周五, 今晚至明天); 星期六到圣诞节 stays two mentions.
_RANGE_FAMILY = {
    "yeared": "calendar",
    "monthed": "calendar",
    "day": "calendar",
    "iso": "calendar",
    "dmy": "calendar",
    "relmonth": "calendar",
    "namedweek": "week",
    "weekday": "week",
}
_NEVER_RANGE = ("stamp", "nrange", "holiday", "bareyear", "ypart", "mpart")
_RANGE_DAY_END = re.compile(rf"[ ]?{_SEP}[ ]?(?P<d>{_DAYN})[ ]?[日号](?![0-9])")

# Detail patterns: field extraction inside an already recognized span.
_D_YEAR = (
    rf"(?:(?:公元|西元)?(?P<ya>{_Y4}|{_Y4CN}){_SP}年|民国(?P<yroc>{_YROC_N}){_SP}年"
    r"|(?P<yrel>大前|大后|去|前|后|今|明|上|下|来)年"
    r"|(?P<yroc3>1[0-4][0-9])[ ]?年"
    r"|(?P<yy>[0-9]{2}|[〇零一二三四五六七八九]{2})[ ]?年)"
)
_D_MON = rf"(?P<m>{_MONN}|元){_SP}月份?"
_D_DAY = rf"(?:(?P<d>{_DAYN}){_SP}[日号]|(?P<d2>[0-9]{{1,2}}))"
_D_DAY_RE = re.compile(rf"[ ]?{_D_DAY}")
_D_MPART = r"(?P<mp>初|底|末|中下旬|中上旬|上旬|中旬|下旬|中)"
_D_YEARED = re.compile(
    rf"{_D_YEAR}(?:{_SP}{_D_MON}(?:{_SP}{_D_DAY}|{_D_MPART})?"
    r"|的?(?:第?(?P<q>[一二三四1-4])季度?|首季度?|[Qq](?P<qq>[1-4]))"
    rf"|的?(?P<h>[上下])半年|(?P<hol>{_HOLIDAY_NAMES})|(?P<s>[春夏秋冬])[天季]?"
    r"|(?P<yp>年?(?:初|底|末|尾|中)))?"
)
_D_NRANGE = re.compile(
    rf"(?:{_D_YEAR}{_SP})?(?:(?P<m>{_MONN}){_SP}月{_SP})?(?P<a>[^至到\-~—– ]+?){_SP}{_SEP}{_SP}"
    r"(?P<b>[^至到\-~—– ]+?)[ ]?(?P<unit>[年月日号])"
)
_D_DECADE = re.compile(
    r"(?:(?P<cent>上个?|本|二十一?|2[01])[ ]?世纪)?"
    r"(?P<n>[0-9]{2,4}|[〇零一二三四五六七八九十]{1,4})"
)
_D_RELMONTH = {
    "上上个月": -2,
    "上个月": -1,
    "下个月": 1,
    "这个月": 0,
    "今个月": 0,
    "本月": 0,
    "上月": -1,
    "下月": 1,
}
_D_WEEKPFX = re.compile(
    r"(?P<p>上上个?|下下个?|上一?个?|下一?个?|本|这一?个?|今个)(?:周|星期|礼拜){1,2}(?P<w>.?)"
)
_WEEK_OFFSETS = {"上上": -2, "下下": 2, "上": -1, "下": 1, "本": 0, "这": 0, "今": 0}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RELDAYS = {
    "大大前天": -4,
    "大大后天": 4,
    "本日": 0,
    "前日": -2,
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "昨夜": -1,
    "昨晨": -1,
    "今天": 0,
    "今日": 0,
    "今晨": 0,
    "今早": 0,
    "今晚": 0,
    "今夜": 0,
    "明天": 1,
    "明日": 1,
    "明晚": 1,
    "明早": 1,
    "明晨": 1,
    "后天": 2,
    "大后天": 3,
}
_RELYEARS = {
    "大前": -3,
    "前": -2,
    "去": -1,
    "上": -1,
    "今": 0,
    "明": 1,
    "来": 1,
    "下": 1,
    "后": 2,
    "大后": 3,
}


@dataclass(frozen=True, slots=True)
class DateMention:
    """One DATE mention: character offsets, surface text and normalized value."""

    start: int
    end: int
    text: str
    value: str | None


# ---------------------------------------------------------------------------
# Internal representation
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Spec:
    """What an expression says, before it is resolved against a date."""

    # day month year quarter half season decade week weekend weekday relday holiday dayonly
    grain: str
    year: int | None = None
    year_off: int | None = None
    month: int | None = None
    month_off: int | None = None
    day: int | None = None
    num: int | None = None  # quarter, half, weekday, day offset (relday), decade (2 digits)
    code: str = ""  # season code or holiday name
    week_off: int | None = None  # 上周 -1, 本周 0, 下周 +1
    offset: int = 0  # quarters from the current one (上季度 -1)
    yy: int | None = None  # two-digit year: century from publication


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A resolved period: its value and first/last day (for ranges)."""

    value: str
    first: datetime.date
    last: datetime.date


def _cn_int(s: str) -> int | None:
    """Parse Arabic or Chinese numerals (二〇二二, 二十五, 一百一十); None if not a number."""
    if not s:
        return None
    if s.isascii():
        return int(s) if s.isdigit() else None
    if not any(c in "十百廿" for c in s):
        digits = [_CN_DIGITS.get(c) for c in s]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            cur = _CN_DIGITS[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "廿":
            total += 20
            cur = 0
        else:
            return None
    return total + cur


def _month_last(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _distance(pub: datetime.date, first: datetime.date, last: datetime.date) -> int:
    if pub < first:
        return (first - pub).days
    if pub > last:
        return (pub - last).days
    return 0


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + offset
    return k // 12, k % 12 + 1


# --- holidays -------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> datetime.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lx = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lx) // 433
    month = (h + lx - 7 * m + 90) // 25
    day = (h + lx - 7 * m + 33 * month + 19) % 32
    return datetime.date(year, month, day)


def _qingming(year: int) -> datetime.date:
    yy = year % 100
    c = 4.81 if year >= 2000 else 5.59
    return datetime.date(year, 4, int(yy * 0.2422 + c) - yy // 4)


_RULE_DATES: dict[str, Callable[[int], datetime.date]] = {
    "母亲节": lambda y: _nth_weekday(y, 5, 6, 2),
    "父亲节": lambda y: _nth_weekday(y, 6, 6, 3),
    "感恩节": lambda y: _nth_weekday(y, 11, 3, 4),
    "复活节": _easter,
    "清明节": _qingming,
    "清明": _qingming,
}


def _holiday_date(name: str, year: int, *, traditional: bool) -> datetime.date | None:
    """Gregorian date of holiday ``name`` in Gregorian ``year`` (None if unknown)."""
    if name in ("国庆", "国庆节", "国庆日") and traditional:
        return datetime.date(year, 10, 10)  # 國慶 in Taiwanese usage: Double Ten
    if name in FIXED_HOLIDAYS:
        month, day = FIXED_HOLIDAYS[name]
        return datetime.date(year, month, day)
    if name in _RULE_DATES:
        return _RULE_DATES[name](year)
    if name in LUNAR_HOLIDAYS:
        month, day = LUNAR_HOLIDAYS[name]
        try:
            if month == 0:  # lunar new year's eve
                new_year: datetime.date = LunarDate(year, 1, 1).to_solar_date()
                return new_year - datetime.timedelta(days=1)
            solar: datetime.date = LunarDate(year, month, day).to_solar_date()
            return solar
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------
# Parsing: span text -> _Spec
# ---------------------------------------------------------------------------


def _year_fields(m: re.Match[str], spec: _Spec) -> None:
    if m.group("ya"):
        spec.year = _cn_int(m.group("ya"))
    elif m.group("yroc") or m.group("yroc3"):
        roc = _cn_int(m.group("yroc") or m.group("yroc3"))
        spec.year = roc + 1911 if roc else None
    elif m.group("yrel"):
        spec.year_off = _RELYEARS[m.group("yrel")]
    elif m.group("yy"):
        spec.yy = _cn_int(m.group("yy"))


def _parse_yeared(s: str) -> _Spec | None:
    m = _D_YEARED.fullmatch(s)
    if m is None:
        return None
    spec = _Spec("year")
    _year_fields(m, spec)
    if m.group("m"):
        spec.month = _cn_int(m.group("m"))
        spec.grain = "month"
        if m.group("d") or m.group("d2"):
            spec.day = _cn_int(m.group("d") or m.group("d2"))
            spec.grain = "day"
    elif m.group("q") or m.group("qq") or "首季" in s:
        spec.grain = "quarter"
        spec.num = _cn_int(m.group("q") or m.group("qq") or "1")
    elif m.group("h"):
        spec.grain = "half"
        spec.num = 1 if m.group("h") == "上" else 2
    elif m.group("hol"):
        spec.grain = "holiday"
        spec.code = m.group("hol")
    elif m.group("s"):
        spec.grain = "season"
        spec.code = SEASONS[m.group("s")]
    return spec


def _parse_monthed(s: str) -> _Spec | None:
    m = re.fullmatch(rf"{_D_MON}(?:{_SP}{_D_DAY}|{_D_MPART})?", s)
    if m is None:
        return None
    spec = _Spec("month", month=_cn_int(m.group("m")))
    if m.group("d") or m.group("d2"):
        spec.grain = "day"
        spec.day = _cn_int(m.group("d") or m.group("d2"))
    return spec


def _parse_single(kind: str, s: str) -> _Spec | None:
    """Parse one recognized (normalized) span ``s`` of pattern ``kind``."""
    if kind == "stamp":
        return _Spec("day", year=int(s[:3]) + 1911, month=int(s[3:5]), day=int(s[5:7]))
    if kind == "iso":
        y, mo, d = re.split(r"[-/.]", s)
        return _Spec("day", year=int(y), month=int(mo), day=int(d))
    if kind == "english":
        parts = re.findall(r"[A-Za-z]+|[0-9]+", s)
        name = next(x for x in parts if x.isalpha()).lower()
        d, y = (int(x) for x in parts if x.isdigit())
        mo = next(i for i, full in enumerate(_EN_MONTHS, 1) if full.startswith(name[:3]))
        return _Spec("day", year=y, month=mo, day=d)
    if kind == "dmy":
        d, mo, y = s.split("/")
        return _Spec("day", year=int(y), month=int(mo), day=int(d))
    if kind == "decade":
        m = _D_DECADE.match(s)
        if m is None:
            return None
        n = _cn_int(m.group("n"))
        if n is None:
            return None
        cent = m.group("cent")
        if n >= 1000:
            return _Spec("decade", year=n // 10 * 10)
        if cent:
            base = 1900 if cent in ("上", "上个", "二十", "20") else 2000
            return _Spec("decade", year=base + n // 10 * 10)
        return _Spec("decade", num=n // 10 * 10)  # century from publication
    if kind == "yeared":
        return _parse_yeared(s)
    if kind == "bareyear":
        spec = _Spec("year", year=int(s[:4]))
        if len(s) > 4:
            spec.grain, spec.code = "holiday", s[4:]
        return spec
    if kind == "monthed":
        return _parse_monthed(s)
    if kind == "relmonth":
        for key, off in _D_RELMONTH.items():
            if s.startswith(key):
                m = _D_DAY_RE.match(s, len(key))
                if m is not None and m.group("d"):
                    return _Spec("day", month_off=off, day=_cn_int(m.group("d")))
                return _Spec("month", month_off=off)
        return None
    if kind == "namedweek":
        m = _D_WEEKPFX.fullmatch(s)
        if m is None:
            return None
        off = _WEEK_OFFSETS[
            m.group("p")[:2] if m.group("p")[:2] in _WEEK_OFFSETS else m.group("p")[:1]
        ]
        w = m.group("w")
        if w == "末":
            return _Spec("weekend", week_off=off)
        if w in _WEEKDAYS:
            return _Spec("weekday", week_off=off, num=_WEEKDAYS[w])
        return _Spec("week", week_off=off)
    if kind == "weekday":
        return _Spec("weekday", num=_WEEKDAYS[s[-1]])
    if kind == "relday":
        return _Spec("relday", num=_RELDAYS[s])
    if kind == "holiday":
        return _Spec("holiday", code=s)
    if kind == "quarter":
        if s.endswith("季度") and s[0] in "上下本这":
            return _Spec("quarter", num=0, offset={"上": -1, "下": 1}.get(s[0], 0))
        return _Spec("quarter", num=1 if s[0] == "首" else _cn_int(s[1] if s[0] == "第" else s[0]))
    if kind == "half":
        return _Spec("half", num=1 if s[0] == "上" else 2)
    if kind == "season":
        if len(s) == 2 and s[0] in "今去明":
            return _Spec("season", year_off=_RELYEARS[s[0]], code=SEASONS[s[1]])
        return _Spec("season", code=SEASONS[s[0]])
    if kind == "ypart":
        return _Spec("year", year_off=0)
    if kind == "mpart":
        return _Spec("month", month_off=0)
    if kind == "day":
        return _Spec("dayonly", day=_cn_int(s.rstrip("日 ")))
    return None


# ---------------------------------------------------------------------------
# Resolution: _Spec + publication date -> value
# ---------------------------------------------------------------------------


def _nearest(
    pub: datetime.date,
    make: Callable[[int], _Resolved | None],
    spread: int = 1,
) -> _Resolved | None:
    best: _Resolved | None = None
    best_d = 0
    for y in range(pub.year - spread, pub.year + spread + 1):
        r = make(y)
        if r is None:
            continue
        d = _distance(pub, r.first, r.last)
        if best is None or d < best_d:
            best, best_d = r, d
    return best


def _day(y: int, mo: int, d: int) -> _Resolved | None:
    try:
        date = datetime.date(y, mo, d)
    except ValueError:
        return None
    return _Resolved(date.isoformat(), date, date)


def _month(y: int, mo: int) -> _Resolved | None:
    if not 1 <= mo <= 12 or not 1 <= y <= 9999:
        return None
    return _Resolved(f"{y:04d}-{mo:02d}", datetime.date(y, mo, 1), _month_last(y, mo))


def _quarter(y: int, q: int) -> _Resolved | None:
    if not 1 <= q <= 4:
        return None
    first = datetime.date(y, 3 * q - 2, 1)
    return _Resolved(f"{y:04d}-Q{q}", first, _month_last(y, 3 * q))


def _half(y: int, h: int) -> _Resolved:
    first = datetime.date(y, 1 if h == 1 else 7, 1)
    return _Resolved(f"{y:04d}-H{h}", first, _month_last(y, 6 if h == 1 else 12))


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _season(y: int, code: str) -> _Resolved:
    a, b = _SEASON_MONTHS[code]
    ey, em = _shift_month(y, 1, b - 1)
    return _Resolved(f"{y:04d}-{code}", datetime.date(y, a, 1), _month_last(ey, em))


def _year(y: int) -> _Resolved | None:
    if not 1 <= y <= 9999:
        return None
    return _Resolved(f"{y:04d}", datetime.date(y, 1, 1), datetime.date(y, 12, 31))


def _holiday(y: int, name: str, traditional: bool) -> _Resolved | None:
    date = _holiday_date(name, y, traditional=traditional)
    return None if date is None else _Resolved(date.isoformat(), date, date)


def _resolve(
    spec: _Spec,
    pub: datetime.date | None,
    *,
    ctx: _Resolved | None = None,
    traditional: bool = False,
) -> _Resolved | None:
    """Resolve ``spec``; None when out of the calendar's range (year 1 to 9999)."""
    try:
        return _resolve_unsafe(spec, pub, ctx=ctx, traditional=traditional)
    except (ValueError, OverflowError):
        return None


def _resolve_unsafe(
    spec: _Spec,
    pub: datetime.date | None,
    *,
    ctx: _Resolved | None = None,
    traditional: bool = False,
) -> _Resolved | None:
    """Resolve ``spec``; ``ctx`` is the start of a range whose end ``spec`` is."""
    year = spec.year
    if year is None and spec.year_off is not None:
        if pub is None:
            return None
        year = pub.year + spec.year_off
    if year is None and spec.yy is not None:
        if pub is None:
            return None
        year = min(
            (c * 100 + spec.yy for c in range(pub.year // 100 - 1, pub.year // 100 + 2)),
            key=lambda y: abs(y - pub.year),
        )
    g = spec.grain
    if g == "day" or g == "month":
        mo = spec.month
        if spec.month_off is not None:
            if pub is None:
                return None
            year, mo = _shift_month(pub.year, pub.month, spec.month_off)
        if mo is None:
            return None
        day = spec.day

        def make(y: int) -> _Resolved | None:
            assert mo is not None
            return _day(y, mo, day) if day is not None else _month(y, mo)

        if year is not None:
            return make(year)
        if ctx is not None:
            r = make(ctx.first.year)
            if r is not None and r.first < ctx.first:
                r = make(ctx.first.year + 1)
            return r
        if pub is None:
            return None
        return _nearest(pub, make) or _nearest(pub, make, spread=4)
    if g == "dayonly":
        d = spec.day
        if d is None:
            return None
        if ctx is not None:
            r = _day(ctx.first.year, ctx.first.month, d)
            if r is None or r.first < ctx.first:
                ny, nm = _shift_month(ctx.first.year, ctx.first.month, 1)
                r = _day(ny, nm, d)
            return r
        if pub is None:
            return None
        best: _Resolved | None = None
        for off in (-1, 0, 1):
            y, mo2 = _shift_month(pub.year, pub.month, off)
            r = _day(y, mo2, d)
            if r is not None and (
                best is None or abs((r.first - pub).days) < abs((best.first - pub).days)
            ):
                best = r
        return best
    if g == "year":
        return _year(year) if year is not None else None
    if g == "decade":
        if year is None:
            if spec.num is None:
                return None
            n = spec.num
            ref = pub.year if pub is not None else 1999
            year = (ref // 100) * 100 + n
            if year > ref:
                year -= 100
        return _Resolved(
            f"{year // 10:03d}", datetime.date(year, 1, 1), datetime.date(year + 9, 12, 31)
        )
    if g in ("quarter", "half", "season", "holiday"):
        if g == "quarter" and spec.num == 0:  # 上季度 / 本季度 / 下季度
            if pub is None:
                return None
            k = pub.year * 4 + (pub.month - 1) // 3 + (spec.offset)
            return _quarter(k // 4, k % 4 + 1)
        num = spec.num or 0
        code = spec.code

        def make_p(y: int) -> _Resolved | None:
            if g == "quarter":
                return _quarter(y, num)
            if g == "half":
                return _half(y, num)
            if g == "season":
                return _season(y, code)
            return _holiday(y, code, traditional)

        if year is not None:
            return make_p(year)
        if ctx is not None:
            r = make_p(ctx.first.year)
            if r is not None and r.first < ctx.first:
                r = make_p(ctx.first.year + 1)
            return r
        return None if pub is None else _nearest(pub, make_p)
    if g == "relday":
        if pub is None or spec.num is None:
            return None
        date = pub + datetime.timedelta(days=spec.num)
        return _Resolved(date.isoformat(), date, date)
    if g == "weekday":
        wd = spec.num
        if wd is None:
            return None
        if spec.week_off is None and ctx is not None:
            date = ctx.first + datetime.timedelta(days=(wd - ctx.first.weekday()) % 7)
        elif pub is None:
            return None
        elif spec.week_off is None:
            date = pub + datetime.timedelta(days=(wd - pub.weekday() + 3) % 7 - 3)
        else:
            monday = pub - datetime.timedelta(days=pub.weekday())
            date = monday + datetime.timedelta(days=7 * spec.week_off + wd)
        return _Resolved(date.isoformat(), date, date)
    if g in ("week", "weekend"):
        if pub is None or spec.week_off is None:
            return None
        monday = (
            pub
            - datetime.timedelta(days=pub.weekday())
            + datetime.timedelta(days=7 * spec.week_off)
        )
        iy, iw, _ = monday.isocalendar()
        if g == "week":
            return _Resolved(f"{iy:04d}-W{iw:02d}", monday, monday + datetime.timedelta(days=6))
        sat = monday + datetime.timedelta(days=5)
        return _Resolved(f"{iy:04d}-W{iw:02d}-WE", sat, sat + datetime.timedelta(days=1))
    return None


def _parse_nrange(s: str) -> tuple[_Spec, _Spec] | None:
    """Split a numeric range written with one unit (5至7日, 1至3月, 2019-2021年)."""
    m = _D_NRANGE.fullmatch(s)
    if m is None:
        return None
    a, b, unit = _cn_int(m.group("a")), _cn_int(m.group("b")), m.group("unit")
    if a is None or b is None:
        return None
    first = _Spec("year")
    _year_fields(m, first)
    if unit == "年":
        return _Spec("year", year=a), _Spec("year", year=b)
    if unit == "月":
        first.grain, first.month = "month", a
        return first, _Spec("month", month=b)
    first.grain, first.month, first.day = "day", _cn_int(m.group("m") or ""), a
    return first, _Spec("dayonly", day=b)


def _resolve_pair(
    first: _Spec, second: _Spec, pub: datetime.date | None, *, traditional: bool
) -> str | None:
    """Value of the range ``first``-``second``; ``second`` inherits missing fields.

    A year-less range takes the year that puts the whole range nearest to publication.
    """
    years: list[int | None] = [None]
    if (
        pub is not None
        and first.year is None
        and first.year_off is None
        and first.month_off is None
        and first.grain in ("day", "month", "quarter", "half", "season", "holiday")
    ):
        years = [pub.year - 1, pub.year, pub.year + 1]
    best: tuple[int, str] | None = None
    for y in years:
        spec = first if y is None else replace(first, year=y)
        ra = _resolve(spec, pub, traditional=traditional)
        if ra is None:
            continue
        rb = _resolve(second, pub, ctx=ra, traditional=traditional)
        if rb is None or rb.last < ra.first:
            continue
        d = 0 if pub is None else _distance(pub, ra.first, rb.last)
        if best is None or d < best[0]:
            best = (d, f"{ra.value}/{rb.value}")
    return None if best is None else best[1]


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_dates(text: str, *, published: datetime.date | None) -> list[DateMention]:
    """Find every DATE mention in ``text`` and normalize it.

    Args:
        text: Article text (title and body).
        published: Publication date in the article's local zone, or None.

    Returns:
        Sorted, non-overlapping mentions; ``value`` is None when unresolvable.

    A bug in the rules raises: the DATE component decides what an article gets then
    (a ``date_rules_failed`` warning, or the exception under ``--debug``).
    """
    return _find_dates(text, published)


def _find_dates(text: str, pub: datetime.date | None) -> list[DateMention]:
    if not text:
        return []
    norm = text.translate(_NORM)
    found: list[tuple[int, int, str]] = [
        (m.start(), m.end(), m.lastgroup or "") for m in _MASTER.finditer(norm)
    ]
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        start, end, kind = found[i]
        s, raw = norm[start:end], text[start:end]
        trad = "國" in raw
        value: str | None = None
        if kind == "nrange":
            pair = _parse_nrange(s)
            if pair is not None:
                value = _resolve_pair(*pair, pub, traditional=trad)
        else:
            spec = _parse_single(kind, s)
            nxt = found[i + 1] if i + 1 < len(found) else None
            if (
                spec is not None
                and nxt is not None
                and _RANGE_FAMILY.get(kind, kind) == _RANGE_FAMILY.get(nxt[2], nxt[2])
                and kind not in _NEVER_RANGE
                and _RANGE_SEP.fullmatch(norm, end, nxt[0])
            ):
                second = _parse_single(nxt[2], norm[nxt[0] : nxt[1]])
                if second is not None:  # a range written as one expression: A 至 B
                    end = nxt[1]
                    i += 1
                    value = _resolve_pair(
                        spec, second, pub, traditional=trad or "國" in text[nxt[0] : end]
                    )
                    out.append(DateMention(start, end, text[start:end], value))
                    i += 1
                    continue
            tail = _RANGE_DAY_END.match(norm, end) if spec is not None else None
            if (
                spec is not None
                and spec.grain == "day"
                and tail is not None
                and (nxt is None or nxt[0] >= tail.end())
            ):
                end = tail.end()
                value = _resolve_pair(
                    spec, _Spec("dayonly", day=_cn_int(tail.group("d"))), pub, traditional=trad
                )
            elif spec is not None:
                r = _resolve(spec, pub, traditional=trad)
                value = None if r is None else r.value
        out.append(DateMention(start, end, text[start:end], value))
        i += 1
    return _attach_weekdays(norm, text, out)


_BARE_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


def _weekday_of(value: str | None) -> int | None:
    try:
        return datetime.date.fromisoformat(value).weekday() if value and len(value) == 10 else None
    except ValueError:
        return None


def _attach_weekdays(norm: str, text: str, found: list[DateMention]) -> list[DateMention]:
    """A weekday written with a full date names that date.

    ``8月7日周五`` is one expression (one mention, the date's value); in
    ``周四（2022年1月6日）`` or ``8月4日（周二）`` both stay mentions and the weekday takes
    the date's value when the two agree.
    """
    out: list[DateMention] = []
    for m in found:
        prev = out[-1] if out else None
        wd = _BARE_WEEKDAY.fullmatch(norm, m.start, m.end)
        if prev is not None and wd is not None:
            day = _weekday_of(prev.value)
            gap = norm[prev.end : m.start]
            if day == _WEEKDAY_INDEX[wd.group(1)]:
                if gap == "":
                    out[-1] = DateMention(prev.start, m.end, text[prev.start : m.end], prev.value)
                    continue
                if gap in ("(", "（") and norm[m.end : m.end + 1] in (")", "）"):
                    m = DateMention(m.start, m.end, m.text, prev.value)
        elif prev is not None and _BARE_WEEKDAY.fullmatch(norm, prev.start, prev.end):
            day = _weekday_of(m.value)
            if (
                day == _WEEKDAY_INDEX[norm[prev.end - 1]]
                and norm[prev.end : m.start] in ("(", "（")
                and norm[m.end : m.end + 1] in (")", "）")
            ):
                out[-1] = DateMention(prev.start, prev.end, prev.text, m.value)
        out.append(m)
    return out


def normalize_date(expression: str, *, published: datetime.date | None) -> str | None:
    """Normalize one DATE expression (e.g. a span proposed by the NER model).

    Args:
        expression: The expression; surrounding suffixes such as 前 are tolerated.
        published: Publication date in the article's local zone, or None.

    Returns:
        The value, or None when the text holds no single resolvable date.
    """
    mentions = find_dates(expression.strip(), published=published)
    return mentions[0].value if len(mentions) == 1 else None


def local_date(published: datetime.datetime, tz: str) -> datetime.date:
    """Convert an instant to the calendar date in IANA zone ``tz``.

    Args:
        published: An aware datetime; a naive one is taken as UTC.
        tz: IANA zone name such as "Asia/Shanghai".

    Returns:
        The local date.

    Raises:
        ValueError: If ``tz`` is not a known zone.
    """
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {tz!r}") from e
    if published.tzinfo is None:
        published = published.replace(tzinfo=datetime.UTC)
    return published.astimezone(zone).date()


def zone_for_url(url: str | None) -> str:
    """Publication zone of an outlet, by the URL's host (see ``OUTLET_ZONES``).

    Args:
        url: Article URL, or None.

    Returns:
        An IANA zone name; ``DEFAULT_ZONE`` for unknown or missing hosts.
    """
    if not url:
        return DEFAULT_ZONE
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return DEFAULT_ZONE
    best = ""
    for suffix in OUTLET_ZONES:
        if (host == suffix or host.endswith("." + suffix)) and len(suffix) > len(best):
            best = suffix
    return OUTLET_ZONES[best] if best else DEFAULT_ZONE


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_span(y: int, m: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(y, m, 1)
    return first, datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)


def value_interval(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The calendar days a value covers, first and last (None for an unknown format).

    ``2022-W01`` → 2022-01-03…2022-01-09, ``2021-Q4`` → 2021-10-01…2021-12-31,
    ``199`` → 1990…1999, ``2022-WI`` → 2022-12-01…2023-02-28, ``a/b`` → a's first…b's last.
    """
    try:
        if "/" in value:
            a, b = (value_interval(v) for v in value.split("/", 1))
            return (a[0], b[1]) if a and b else None
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value):
            day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
            monday = datetime.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            first = monday + datetime.timedelta(days=5 if m[3] else 0)
            return first, monday + datetime.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            return _month_span(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-([QH])(\d)", value):
            y, n, k = int(m[1]), int(m[3]), 3 if m[2] == "Q" else 6
            return _month_span(y, k * (n - 1) + 1)[0], _month_span(y, k * n)[1]
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            y, (a_m, b_m) = int(m[1]), _SEASON_MONTHS[m[2]]
            return _month_span(y, a_m)[0], _month_span(y + (b_m > 12), (b_m - 1) % 12 + 1)[1]
        if re.fullmatch(r"\d{4}", value):
            return datetime.date(int(value), 1, 1), datetime.date(int(value), 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return datetime.date(int(value) * 10, 1, 1), datetime.date(int(value) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None
