"""The demo bureau: XX市城市管理综合行政执法局, its units, posts and one account per role.

Unit layout follows the organisation of real city 城管执法局 described in shared domain notes
(机关科室, 直属大队, 区大队 with 街道中队).
"""

BUREAU = ("JU", "XX市城市管理综合行政执法局", "市局", "bureau")

# (code, name, short name, kind, parent code)
UNITS = [
    ("BGS", "办公室", "办公室", "section", "JU"),
    ("ZZC", "政治处", "政治处", "section", "JU"),
    ("FZK", "法制科", "法制科", "section", "JU"),
    ("DCK", "督察科", "督察科", "section", "JU"),
    ("CWK", "计划财务科", "计财科", "section", "JU"),
    ("SRK", "市容环卫管理科", "市容环卫科", "section", "JU"),
    ("SPK", "行政审批科", "审批科", "section", "JU"),
    ("XCK", "宣传科", "宣传科", "section", "JU"),
    ("TSZX", "投诉受理中心", "投诉中心", "direct", "JU"),
    ("FKB", "廉政风险防控办公室", "防控办", "section", "JU"),
    ("ZSDD", "直属执法大队", "直属大队", "brigade", "JU"),
    ("JDZD", "机动中队", "机动中队", "squad", "ZSDD"),
    ("GHDD", "规划执法大队", "规划大队", "brigade", "JU"),
    ("ZTDD", "渣土管理大队", "渣土大队", "brigade", "JU"),
    ("GGDD", "户外广告管理大队", "广告大队", "brigade", "JU"),
    ("YLZD", "园林绿化执法中队", "园林中队", "direct", "JU"),
    ("ZHZX", "数字化城管监督指挥中心", "指挥中心", "direct", "JU"),
    ("BGZ", "暂扣物品保管站", "保管站", "direct", "JU"),
    ("DCDD", "东城区执法大队", "东城大队", "brigade", "JU"),
    ("JFLZD", "东城区执法大队解放路中队", "解放路中队", "squad", "DCDD"),
    ("XHJZD", "东城区执法大队新华街中队", "新华街中队", "squad", "DCDD"),
    ("XCDD", "西城区执法大队", "西城大队", "brigade", "JU"),
    ("RMLZD", "西城区执法大队人民路中队", "人民路中队", "squad", "XCDD"),
    ("SLJZD", "西城区执法大队胜利街中队", "胜利街中队", "squad", "XCDD"),
]

L, M, K = "leadership", "middle", "key"
SQUAD_POSTS = [("中队长", M), ("执法队员", K)]
BRIGADE_POSTS = [("大队长", M), ("执法队员", K), ("案件承办人", K)]

# unit code -> [(post name, tier)]; the first post of a unit is its head's.
POSTS = {
    "JU": [("局长", L), ("副局长", L), ("驻局纪检监察组组长", L), ("政治处主任", L)],
    "BGS": [("办公室主任", M), ("文秘岗", K), ("车辆管理岗", K), ("资产管理岗", K)],
    "ZZC": [("政治处副主任", M), ("组织人事岗", K), ("教育培训岗", K)],
    "FZK": [("法制科科长", M), ("法制审核员", K), ("复议应诉岗", K)],
    "DCK": [("督察科科长", M), ("督察员", K)],
    "CWK": [("计划财务科科长", M), ("会计", K), ("出纳", K), ("罚没款收缴岗", K), ("采购岗", K)],
    "SRK": [("市容环卫科科长", M), ("环卫考核岗", K)],
    "SPK": [("行政审批科科长", M), ("审批员", K), ("窗口受理员", K)],
    "XCK": [("宣传科科长", M), ("宣传岗", K)],
    "TSZX": [("投诉受理中心主任", M), ("投诉受理岗", K)],
    "FKB": [("防控办主任", M), ("防控办工作人员", K)],
    "ZSDD": BRIGADE_POSTS,
    "JDZD": SQUAD_POSTS,
    "GHDD": [("大队长", M), ("巡查员", K), ("案件承办人", K)],
    "ZTDD": [("大队长", M), ("核准岗", K), ("夜查队员", K)],
    "GGDD": [("大队长", M), ("执法队员", K)],
    "YLZD": SQUAD_POSTS,
    "ZHZX": [("指挥中心主任", M), ("派遣员", K), ("受理员", K)],
    "BGZ": [("站长", M), ("保管员", K)],
    "DCDD": BRIGADE_POSTS,
    "JFLZD": SQUAD_POSTS,
    "XHJZD": SQUAD_POSTS,
    "XCDD": BRIGADE_POSTS,
    "RMLZD": SQUAD_POSTS,
    "SLJZD": SQUAD_POSTS,
}

# 关键岗位 the office has marked: posts holding 业务处置权 and 自由裁量权 (by name, in every unit).
KEY_POSTS = ["执法队员", "案件承办人", "巡查员", "核准岗", "夜查队员", "审批员", "法制审核员", "罚没款收缴岗", "采购岗",
             "组织人事岗", "中队长"]

# Bureau leaders and the units each one is in charge of (分管).
LEADERS = [
    ("leader", "王建国", "副局长", ["GHDD", "ZTDD", "GGDD", "DCDD", "XCDD", "FZK", "DCK"]),
    ("leader2", "陈志明", "副局长", ["ZSDD", "YLZD", "ZHZX", "BGZ", "SRK", "SPK", "TSZX"]),
    ("leader3", "刘海燕", "政治处主任", ["BGS", "ZZC", "CWK", "XCK", "FKB"]),
]

# The demo accounts named in the README: (username, name, unit, post, roles, title).
ACCOUNTS = [
    ("admin", "系统管理员", "BGS", None, ["admin"], "信息化管理员"),
    ("director", "赵国强", "JU", "局长", ["leadership"], "局长、党组书记"),
    ("inspector", "孙立平", "JU", "驻局纪检监察组组长", ["leadership"], "纪检监察组组长"),
    ("office", "周敏", "FKB", "防控办主任", ["office", "unit_head", "staff"], "防控办主任"),
    ("office2", "吴晓丽", "FKB", "防控办工作人员", ["office", "staff"], "防控办科员"),
]

# Per-unit accounts: "<code>_head" (unit head + staff) and "<code>_staff" for every unit below
# the bureau; the README names a few of them.
SURNAMES = "李张杨黄徐朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["伟", "磊", "军", "勇", "涛", "斌", "强", "杰", "静", "丽", "华", "芳", "敏", "鹏", "辉", "刚", "健", "波", "明", "超", "琳", "婷", "峰", "亮"]

PASSWORD = "demo12345"  # nosec B105 # the published password of the demo accounts (README)
