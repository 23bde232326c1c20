"""The written demo content: regions, enterprises, people and the bodies' texts.

Regions carry their real GB/T 2260 division codes. Every enterprise, group, person and text is made up for
this project; any likeness to a real company or person is accidental.
"""

from typing import NamedTuple

DEMO_PASSWORD = "cqo-demo-2026"  # development only: printed in the README, never used in production
EMAIL_DOMAIN = "demo.cqo.cn"

# Regions ------------------------------------------------------------------------------------------------

PROVINCE = ("140000", "山西省")


class City(NamedTuple):
    code: str
    name: str
    slug: str
    counties: tuple  # (code, name) pairs
    note: str  # one sentence on the city's industry, used in its chapter pages


CITIES = (
    City(
        "140100",
        "太原市",
        "taiyuan",
        (("140105", "小店区"), ("140106", "迎泽区"), ("140121", "清徐县")),
        "省会太原装备制造、信息技术和检验检测机构集中，是全省质量人才最密集的城市。",
    ),
    City(
        "140200",
        "大同市",
        "datong",
        (("140213", "平城区"), ("140212", "新荣区")),
        "大同正由传统能源向新材料、新能源和特色农产品加工转型，质量升级需求旺盛。",
    ),
    City(
        "140300",
        "阳泉市",
        "yangquan",
        (("140302", "城区"), ("140311", "郊区"), ("140322", "盂县")),
        "阳泉耐火材料、热电和数字经济企业较多，过程稳定性和能耗质量是共同关注点。",
    ),
    City(
        "140400",
        "长治市",
        "changzhi",
        (("140403", "潞州区"), ("140404", "上党区"), ("140423", "襄垣县")),
        "长治光电、精密传动和建筑业企业活跃，质量改进项目多、成果转化快。",
    ),
    City(
        "140500",
        "晋城市",
        "jincheng",
        (("140502", "城区"), ("140522", "阳城县"), ("140525", "泽州县"), ("140581", "高平市")),
        "晋城铸造、阀门、陶瓷和丝绸等特色产业集聚，“山西精品”申报企业数量居全省前列。",
    ),
    City(
        "140600",
        "朔州市",
        "shuozhou",
        (("140602", "朔城区"), ("140603", "平鲁区")),
        "朔州新型陶瓷和乳制品产业发展迅速，食品安全与工艺一致性是质量工作的重点。",
    ),
    City(
        "140700",
        "晋中市",
        "jinzhong",
        (("140702", "榆次区"), ("140781", "介休市")),
        "晋中医药、物流和装备配套企业众多，质量管理体系建设基础较好。",
    ),
    City(
        "140800",
        "运城市",
        "yuncheng",
        (("140802", "盐湖区"), ("140881", "永济市"), ("140882", "河津市")),
        "运城铝材加工、电机和精细化工产业链完整，上下游质量协同大有可为。",
    ),
    City(
        "140900",
        "忻州市",
        "xinzhou",
        (("140902", "忻府区"), ("140981", "原平市")),
        "忻州锻造和杂粮食品加工是特色产业，正在推动质量标准与品牌建设同步提升。",
    ),
    City(
        "141000",
        "临汾市",
        "linfen",
        (("141002", "尧都区"), ("141081", "侯马市")),
        "临汾新能源汽车零部件和检验检测服务起步快，质量技术基础设施逐步完善。",
    ),
    City(
        "141100",
        "吕梁市",
        "lvliang",
        (("141102", "离石区"), ("141181", "孝义市")),
        "吕梁碳材料、矿业和数据服务企业加快转型，质量安全与绿色发展并重。",
    ),
)

# Enterprises ---------------------------------------------------------------------------------------------

GROUPS = ("三晋装备集团", "晋岳新材料集团", "河东清洁能源集团", "上党精工控股集团")


class Award(NamedTuple):
    level: str  # province / city / county
    year: int
    standing: str  # nominee / winner


class Firm(NamedTuple):
    key: str
    serial: int  # fixed, so the credit code stays the same from run to run
    name: str
    county: str
    industry: str
    size: str  # above_scale / medium / small_micro
    six_new: bool = False
    strategic: bool = False
    group: str = ""
    award: Award | None = None
    jingpin: bool = False


ABOVE, MEDIUM, SMALL = "above_scale", "medium", "small_micro"

FIRMS = (
    Firm(
        "huarui",
        1,
        "晋城华瑞精密铸造有限公司",
        "140525",
        "C",
        ABOVE,
        group="三晋装备集团",
        award=Award("city", 2023, "winner"),
        jingpin=True,
    ),
    Firm("taiyue_valve", 2, "晋城太岳流体阀门有限公司", "140502", "C", MEDIUM, jingpin=True),
    Firm("xicheng_ceramic", 3, "阳城析城陶瓷有限公司", "140522", "C", SMALL, jingpin=True),
    Firm(
        "changping_silk",
        4,
        "高平长平丝绸织造有限公司",
        "140581",
        "C",
        MEDIUM,
        award=Award("county", 2022, "nominee"),
        jingpin=True,
    ),
    Firm(
        "qinhe_cbm",
        5,
        "晋城沁河煤层气开发有限公司",
        "140502",
        "B",
        ABOVE,
        strategic=True,
        group="河东清洁能源集团",
        award=Award("province", 2021, "nominee"),
    ),
    Firm(
        "danhe_power", 6, "泽州丹河新能源发电有限公司", "140525", "D", MEDIUM, strategic=True, group="河东清洁能源集团"
    ),
    Firm(
        "jinding",
        7,
        "太原晋鼎智能装备有限公司",
        "140105",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        group="三晋装备集团",
        award=Award("province", 2024, "winner"),
    ),
    Firm("bingzhou_bearing", 8, "太原并州精工轴承有限公司", "140106", "C", ABOVE, group="三晋装备集团"),
    Firm("yunling_it", 9, "太原云岭信息技术有限公司", "140105", "I", MEDIUM, six_new=True, strategic=True),
    Firm(
        "xixiang_vinegar",
        10,
        "清徐醯香酿造有限公司",
        "140121",
        "C",
        MEDIUM,
        award=Award("county", 2020, "winner"),
        jingpin=True,
    ),
    Firm("hengzhun_metrology", 11, "太原衡准计量检测技术有限公司", "140106", "M", MEDIUM),
    Firm(
        "pingcheng_carbon",
        12,
        "大同平城碳纤维材料有限公司",
        "140213",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        group="晋岳新材料集团",
    ),
    Firm("xinrong_daylily", 13, "大同新荣黄花食品有限公司", "140212", "C", SMALL, jingpin=True),
    Firm(
        "shinao_refractory",
        14,
        "阳泉狮脑山耐火材料有限公司",
        "140311",
        "C",
        ABOVE,
        group="晋岳新材料集团",
        award=Award("city", 2021, "winner"),
    ),
    Firm("yuzhou_thermal", 15, "阳泉盂州热电有限公司", "140322", "D", ABOVE, group="河东清洁能源集团"),
    Firm(
        "luguang_optics",
        16,
        "长治潞光精密光学有限公司",
        "140403",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        group="上党精工控股集团",
        award=Award("province", 2025, "nominee"),
    ),
    Firm("shangdang_gear", 17, "长治上党齿轮传动有限公司", "140404", "C", ABOVE, group="上党精工控股集团"),
    Firm("hengzhu_build", 18, "襄垣恒筑建设工程有限公司", "140423", "E", MEDIUM),
    Firm(
        "shuocheng_ceramic",
        19,
        "朔州朔城新型陶瓷有限公司",
        "140602",
        "C",
        ABOVE,
        six_new=True,
        group="晋岳新材料集团",
        jingpin=True,
    ),
    Firm(
        "saishang_dairy",
        20,
        "朔州塞上牧歌乳业有限公司",
        "140603",
        "C",
        MEDIUM,
        award=Award("city", 2024, "nominee"),
        jingpin=True,
    ),
    Firm(
        "kanghe_pharma",
        21,
        "晋中榆次康和制药有限公司",
        "140702",
        "C",
        ABOVE,
        strategic=True,
        award=Award("city", 2022, "winner"),
    ),
    Firm("tongqu_logistics", 22, "介休通衢物流有限公司", "140781", "G", MEDIUM),
    Firm("hedong_aluminium", 23, "运城河东铝材加工有限公司", "140802", "C", ABOVE),
    Firm(
        "puzhou_motor",
        24,
        "永济蒲州电机有限公司",
        "140881",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        group="三晋装备集团",
        award=Award("province", 2019, "winner"),
    ),
    Firm("longmen_chem", 25, "河津龙门精细化工有限公司", "140882", "C", ABOVE),
    Firm("xinfu_forging", 26, "忻州忻府锻造有限公司", "140902", "C", ABOVE, group="三晋装备集团"),
    Firm("yunzhong_grain", 27, "原平云中杂粮食品有限公司", "140981", "C", SMALL, jingpin=True),
    Firm("pingyang_testing", 28, "临汾平阳检测技术有限公司", "141002", "M", SMALL),
    Firm(
        "jinyun_parts",
        29,
        "侯马晋韵新能源汽车零部件有限公司",
        "141081",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        group="上党精工控股集团",
    ),
    Firm("lishi_carbon", 30, "吕梁离石碳材科技有限公司", "141102", "C", ABOVE, six_new=True, group="晋岳新材料集团"),
    Firm(
        "jinling_mining",
        31,
        "孝义金岭矿业有限公司",
        "141181",
        "B",
        ABOVE,
        group="河东清洁能源集团",
        award=Award("county", 2023, "winner"),
    ),
    Firm("yunding_data", 32, "吕梁云顶数据科技有限公司", "141102", "I", SMALL, six_new=True),
    # Enterprises the policy targets that have no CQO yet: the regulators' gap list on the region dashboard.
    Firm("zezhou_casting", 33, "泽州铸鑫机械制造有限公司", "140525", "C", ABOVE, award=Award("county", 2024, "winner")),
    Firm("yangcheng_pottery", 34, "阳城琉璃工艺品有限公司", "140522", "C", SMALL, jingpin=True),
    Firm("gaoping_food", 35, "高平长平食品有限公司", "140581", "C", MEDIUM, jingpin=True),
    Firm("jincheng_hydrogen", 36, "晋城太行氢能装备有限公司", "140502", "C", ABOVE, six_new=True, strategic=True),
    Firm(
        "xiaodian_semicon",
        37,
        "太原小店半导体材料有限公司",
        "140105",
        "C",
        ABOVE,
        six_new=True,
        strategic=True,
        award=Award("city", 2025, "nominee"),
    ),
    Firm("qingxu_grapes", 38, "清徐葡萄酒业有限公司", "140121", "C", MEDIUM, jingpin=True),
    Firm("datong_rail", 39, "大同轨道交通装备有限公司", "140213", "C", ABOVE, award=Award("province", 2023, "nominee")),
    Firm("changzhi_pharma", 40, "长治上党中药饮片有限公司", "140404", "C", MEDIUM, jingpin=True),
    Firm("yuci_textile", 41, "晋中榆次纺织机械有限公司", "140702", "C", ABOVE, award=Award("city", 2022, "nominee")),
    Firm("yongji_cotton", 42, "永济棉纺织有限公司", "140881", "C", MEDIUM),
    Firm("linfen_glass", 43, "临汾尧都玻璃制品有限公司", "141002", "C", ABOVE, jingpin=True),
    Firm("xiaoyi_coke", 44, "孝义焦化新材料有限公司", "141181", "C", ABOVE, strategic=True),
)

# People --------------------------------------------------------------------------------------------------

# Professional titles and education, by the model's choice values.
NONE, JUNIOR, MID, ASSOC, SENIOR = "none", "junior", "intermediate", "associate_senior", "senior"
COLLEGE, BACHELOR, MASTER, DOCTOR = "junior_college", "bachelor", "master", "doctorate"


class Person(NamedTuple):
    username: str
    name: str
    firm: str
    position: str
    senior: bool
    years: int
    title: str
    education: str
    expertise: tuple
    bio: str
    status: str = "active"
    visibility: str = "public"
    talent_pool: bool = True
    note: str = ""  # the reason recorded for the last step (warning or exit)
    relaxed: str = ""  # staff's justification for admitting below the basic conditions (四(二))
    warning: str = ""  # for an exited CQO who was warned before leaving: the reason of that warning
    appointed_by: str = "general_manager"


STAFF_USER = ("staff", "周敏")
REGULATOR_USER = ("regulator", "秦立新")
ADMIN_USER = ("admin", "韩志远")
REGULATOR_CITY = "140500"
REGULATOR_AGENCY = "晋城市市场监督管理局"

# The role users that are CQOs come first; `member`, `judge` and `moderator` are active, `applicant` is not.
PEOPLE = (
    Person(
        "member",
        "王晓峰",
        "huarui",
        "副总经理",
        True,
        15,
        ASSOC,
        MASTER,
        ("六西格玛", "卓越绩效", "SPC"),
        "从铸造车间质检员做起，主持建立了覆盖熔炼、造型、精整的全过程统计过程控制体系。"
        "带领团队用六西格玛方法把铸件气孔缺陷率降低了六成，公司因此获得市长质量奖。"
        "乐于和同行交流铸造行业的质量改进经验。",
    ),
    Person(
        "applicant",
        "陈思远",
        "changping_silk",
        "质量部经理",
        False,
        6,
        MID,
        BACHELOR,
        ("质量管理体系", "QC小组"),
        "负责丝绸织造全流程的质量检验与体系运行，正在准备首席质量官聘任备案。",
        status="applicant",
        visibility="members",
    ),
    Person(
        "judge",
        "刘建华",
        "jinding",
        "总工程师",
        True,
        22,
        SENIOR,
        DOCTOR,
        ("可靠性工程", "FMEA", "卓越绩效"),
        "长期从事智能装备可靠性设计与试验验证，主持编制多项企业标准。"
        "担任省级质量奖评审专家，关注质量方法在研发阶段的前移应用。",
    ),
    Person(
        "moderator",
        "张丽萍",
        "kanghe_pharma",
        "质量总监",
        True,
        12,
        ASSOC,
        MASTER,
        ("质量管理体系", "偏差管理", "供应商质量管理"),
        "执业药师，负责制药生产质量管理规范的落地与持续改进。"
        "在首席质量官之家组织“偏差与变更”专题交流，帮助新任质量负责人少走弯路。",
    ),
    Person(
        "zhao.guoqiang",
        "赵国强",
        "taiyue_valve",
        "副总经理",
        True,
        18,
        ASSOC,
        BACHELOR,
        ("FMEA", "8D", "质量成本"),
        "阀门密封性能质量攻关的带头人，推动公司建立了顾客投诉八步法快速响应机制。",
    ),
    Person(
        "sun.meiling",
        "孙美玲",
        "xicheng_ceramic",
        "总经理助理",
        False,
        8,
        MID,
        BACHELOR,
        ("精益生产", "5S"),
        "把精益生产引入日用陶瓷小批量多品种生产，窑炉一次烧成合格率稳步提升。",
        status="filing_submitted",
    ),
    Person(
        "zhou.haitao",
        "周海涛",
        "qinhe_cbm",
        "副总经理",
        True,
        20,
        SENIOR,
        MASTER,
        ("质量管理体系", "风险管理", "标准化"),
        "分管安全质量与标准化工作，组织编写煤层气井场作业质量控制规程。主张用数据说话，推动建设了井场质量数据看板。",
    ),
    Person(
        "fan.xiaojun",
        "范晓军",
        "danhe_power",
        "副总经理",
        True,
        11,
        MID,
        BACHELOR,
        ("设备管理", "可靠性工程"),
        "负责光伏电站运维质量，建立了组件缺陷分级与巡检闭环制度。",
        status="filing_submitted",
    ),
    Person(
        "li.shuzhen",
        "李淑珍",
        "huarui",
        "原质量副总经理",
        True,
        24,
        ASSOC,
        BACHELOR,
        ("质量管理体系", "QC小组"),
        "曾任公司首席质量官，培养了一批QC小组骨干，现已调任集团其他岗位。",
        status="exited",
        visibility="members",
        talent_pool=False,
        note="工作调动至集团总部，不再担任本企业首席质量官，按程序退出。",
    ),
    Person(
        "wu.jing",
        "吴静",
        "bingzhou_bearing",
        "质量部部长",
        False,
        10,
        MID,
        MASTER,
        ("SPC", "测量系统分析", "六西格玛"),
        "熟悉轴承精密加工过程能力分析，主导了磨削工序关键尺寸的过程能力提升项目。",
    ),
    Person(
        "zheng.yu",
        "郑宇",
        "yunling_it",
        "质量总监",
        True,
        9,
        MID,
        MASTER,
        ("软件质量", "CMMI", "敏捷开发"),
        "负责软件研发质量体系与交付质量度量，推动测试左移和自动化回归。",
    ),
    Person(
        "tang.xin",
        "唐鑫",
        "yunling_it",
        "测试经理",
        False,
        3,
        MID,
        BACHELOR,
        ("软件测试",),
        "从事软件测试和质量保证工作三年，希望在平台上学习系统的质量管理方法。",
        status="applicant",
        visibility="hidden",
        talent_pool=False,
    ),
    Person(
        "feng.xiaoli",
        "冯晓丽",
        "xixiang_vinegar",
        "副总经理",
        True,
        16,
        ASSOC,
        BACHELOR,
        ("食品安全管理", "HACCP", "标准化"),
        "把传统酿造工艺的关键控制点逐一量化，推动老陈醋发酵过程实现可追溯。所在企业获得县长质量奖。",
    ),
    Person(
        "kang.lin",
        "康琳",
        "hengzhun_metrology",
        "技术负责人",
        True,
        13,
        ASSOC,
        MASTER,
        ("计量管理", "测量系统分析", "实验室管理"),
        "长期从事计量校准与实验室质量管理，热心为中小企业提供测量系统诊断。",
    ),
    Person(
        "he.jun",
        "何军",
        "pingcheng_carbon",
        "副总经理",
        True,
        14,
        SENIOR,
        DOCTOR,
        ("新材料工艺", "DOE", "六西格玛"),
        "碳纤维原丝工艺专家，用试验设计方法解决了多个批次稳定性难题。",
    ),
    Person(
        "guo.hongmei",
        "郭红梅",
        "shinao_refractory",
        "质量总监",
        True,
        19,
        ASSOC,
        BACHELOR,
        ("卓越绩效", "QC小组", "质量成本"),
        "推行卓越绩效模式多年，所在企业获市长质量奖，QC小组成果多次获省级奖励。",
    ),
    Person(
        "han.lei",
        "韩磊",
        "yuzhou_thermal",
        "副总工程师",
        False,
        12,
        MID,
        BACHELOR,
        ("设备管理", "可靠性工程"),
        "负责热电机组运行质量和检修质量管理。",
        status="warned",
        visibility="members",
        note="年度履职检查发现机组检修质量验收记录缺失，责任落实不到位，予以警示，限期整改。",
    ),
    Person(
        "yang.fan",
        "杨帆",
        "luguang_optics",
        "副总经理",
        True,
        17,
        SENIOR,
        DOCTOR,
        ("可靠性工程", "SPC", "质量功能展开"),
        "精密光学元件加工与检测专家，推动公司建立了从顾客需求到工艺参数的质量功能展开流程。"
        "担任首席质量官联盟副理事长。",
    ),
    Person(
        "cao.wei",
        "曹伟",
        "shangdang_gear",
        "质量部部长",
        False,
        9,
        MID,
        BACHELOR,
        ("8D", "防错", "FMEA"),
        "负责齿轮产品质量问题的归零管理，推广防错装置在装配线上的应用。",
    ),
    Person(
        "xu.zhiyong",
        "徐志勇",
        "hengzhu_build",
        "总工程师",
        True,
        21,
        SENIOR,
        BACHELOR,
        ("工程质量管理", "QC小组", "标准化"),
        "主持多项工程质量创优项目，带领QC小组攻克了装配式构件安装精度难题。",
    ),
    Person(
        "hou.yanping",
        "侯艳萍",
        "shuocheng_ceramic",
        "副总经理",
        True,
        13,
        ASSOC,
        MASTER,
        ("精益生产", "SPC", "质量管理体系"),
        "负责先进陶瓷产品质量和体系运行，推动烧结工序参数在线监控。",
    ),
    Person(
        "ren.xiaodong",
        "任晓东",
        "saishang_dairy",
        "质量总监",
        True,
        10,
        MID,
        MASTER,
        ("食品安全管理", "HACCP", "供应商质量管理"),
        "从牧场到成品全链条把关乳品安全，建立了奶源质量分级收购制度。",
    ),
    Person(
        "qiao.lina",
        "乔丽娜",
        "tongqu_logistics",
        "运营副总经理",
        True,
        8,
        MID,
        BACHELOR,
        ("服务质量", "精益生产"),
        "把精益思想用于仓储作业，订单差错率连续三年下降。",
    ),
    Person(
        "wei.jianjun",
        "卫建军",
        "hedong_aluminium",
        "副总经理",
        True,
        19,
        ASSOC,
        BACHELOR,
        ("六西格玛", "质量成本", "SPC"),
        "铝型材挤压与表面处理质量专家，黑带大师，主持完成二十余个六西格玛项目。",
    ),
    Person(
        "xue.peng",
        "薛鹏",
        "puzhou_motor",
        "副总经理",
        True,
        18,
        SENIOR,
        MASTER,
        ("卓越绩效", "可靠性工程", "质量管理体系"),
        "所在企业曾获省长质量奖，负责电机产品全生命周期质量管理。任首席质量官之家副主任，热心带教新任首席质量官。",
    ),
    Person(
        "chai.yun",
        "柴云",
        "longmen_chem",
        "质量安全总监",
        True,
        11,
        MID,
        BACHELOR,
        ("风险管理", "质量管理体系"),
        "负责精细化工产品质量与过程安全。",
        status="warned",
        visibility="members",
        note="产品出厂检验记录与实际批次不符，履职不到位，予以警示并要求完成继续教育。",
    ),
    Person(
        "niu.baoshan",
        "牛宝山",
        "xinfu_forging",
        "锻造总厂厂长",
        True,
        24,
        NONE,
        COLLEGE,
        ("锻造工艺", "QC小组", "防错"),
        "高级技师，扎根锻造一线二十余年，主持的模具寿命攻关成果在行业内推广。",
        relaxed="从事锻造质量工作二十四年，高级技师，主持完成多项省级QC成果，实践经验丰富；"
        "依据政策四(二)“实践经验丰富的技术骨干，条件可适当放宽”，准予入选。",
    ),
    Person(
        "liang.hui",
        "梁慧",
        "yunzhong_grain",
        "副总经理",
        True,
        7,
        JUNIOR,
        BACHELOR,
        ("食品安全管理", "标准化"),
        "负责杂粮食品生产质量和“山西精品”申报，推动企业标准提档升级。",
    ),
    Person(
        "shi.ming",
        "史明",
        "pingyang_testing",
        "技术负责人",
        True,
        9,
        MID,
        MASTER,
        ("检验检测", "实验室管理", "测量系统分析"),
        "检测机构技术负责人，关注检测数据的准确性与可追溯性。",
    ),
    Person(
        "du.yongqiang",
        "杜永强",
        "jinyun_parts",
        "副总经理",
        True,
        15,
        ASSOC,
        MASTER,
        ("IATF 16949", "FMEA", "8D"),
        "汽车零部件质量体系专家，带领团队通过多家整车厂的供应商审核。",
    ),
    Person(
        "jia.rui",
        "贾瑞",
        "lishi_carbon",
        "质量总监",
        False,
        8,
        MID,
        BACHELOR,
        ("SPC", "质量管理体系"),
        "负责碳材料产品质量检验与过程控制，正在推动实验室能力建设。",
    ),
    Person(
        "yan.qiang",
        "闫强",
        "yunding_data",
        "技术总监",
        True,
        6,
        MID,
        MASTER,
        ("软件质量", "数据治理"),
        "负责数据服务质量与信息安全管理，推动数据质量评估指标落地。",
    ),
    Person(
        "ma.liang",
        "马亮",
        "xinrong_daylily",
        "生产主管",
        False,
        2,
        NONE,
        COLLEGE,
        ("食品安全管理",),
        "曾拟任企业首席质量官。",
        status="exited",
        visibility="hidden",
        talent_pool=False,
        note="企业另行聘任首席质量官，撤回本人聘任申请。",
    ),
    Person(
        "bai.xue",
        "白雪",
        "xinrong_daylily",
        "质量负责人",
        False,
        6,
        JUNIOR,
        COLLEGE,
        ("食品安全管理", "5S"),
        "负责黄花菜干制品的质量检验，正在参加首席质量官任职基础培训。",
        status="applicant",
        visibility="members",
    ),
    Person(
        "lu.zhiqiang",
        "路志强",
        "jinding",
        "质量保证部部长",
        False,
        11,
        ASSOC,
        MASTER,
        ("质量管理体系", "供应商质量管理", "8D"),
        "负责集团装备产品的供应商质量审核与来料质量提升。",
        status="filing_submitted",
    ),
    Person(
        "tian.lei",
        "田磊",
        "hedong_aluminium",
        "质量部副部长",
        False,
        7,
        MID,
        BACHELOR,
        ("SPC", "QC小组"),
        "负责表面处理车间的过程质量控制。",
        status="filing_submitted",
        visibility="members",
    ),
    Person(
        "song.jiayi",
        "宋佳怡",
        "kanghe_pharma",
        "质量保证经理",
        False,
        9,
        MID,
        MASTER,
        ("质量管理体系", "偏差管理"),
        "负责制剂车间的质量保证与验证管理，参与首席质量官之家读书会的组织工作。",
    ),
    Person(
        "gao.jianping",
        "高建平",
        "qinhe_cbm",
        "安全质量部部长",
        False,
        15,
        ASSOC,
        BACHELOR,
        ("风险管理", "标准化"),
        "负责井场作业标准化建设和质量安全检查。",
        status="exited",
        visibility="members",
        talent_pool=False,
        warning="井场质量安全检查记录多处缺失，履职不到位，予以警示，限期三个月整改。",
        note="警示期内整改仍不到位，经核实履职严重缺位，作退出处置。",
    ),
    Person(
        "pan.wenjing",
        "潘文静",
        "luguang_optics",
        "质量部部长",
        False,
        8,
        MID,
        MASTER,
        ("SPC", "测量系统分析"),
        "负责光学元件检测能力建设，推广测量系统分析在来料检验中的应用。",
    ),
    Person(
        "dong.hai",
        "董海",
        "shangdang_gear",
        "副总经理",
        True,
        20,
        SENIOR,
        BACHELOR,
        ("六西格玛", "精益生产", "卓越绩效"),
        "分管生产与质量，推动齿轮箱总成一次装配合格率达到行业领先水平。",
    ),
    Person(
        "lv.xiaoyan",
        "吕晓燕",
        "puzhou_motor",
        "质量部部长",
        False,
        10,
        MID,
        BACHELOR,
        ("QC小组", "质量成本"),
        "QC小组活动推进者，每年组织公司内部质量改进成果发布会。",
    ),
    Person(
        "yuan.bo",
        "袁博",
        "pingcheng_carbon",
        "品质经理",
        False,
        5,
        MID,
        MASTER,
        ("DOE", "SPC"),
        "年轻的质量工程师，用统计方法分析原丝强度波动。",
    ),
    Person(
        "xing.li",
        "邢莉",
        "saishang_dairy",
        "化验室主任",
        False,
        14,
        MID,
        COLLEGE,
        ("检验检测", "食品安全管理"),
        "负责原奶与成品检验，熟悉乳品快速检测方法。",
        visibility="members",
    ),
    Person(
        "qin.fang",
        "秦芳",
        "shuocheng_ceramic",
        "质量工程师",
        False,
        6,
        JUNIOR,
        BACHELOR,
        ("精益生产", "5S"),
        "负责现场质量改善与5S推进。",
        status="warned",
        visibility="members",
        talent_pool=False,
        note="连续两次未参加继续教育且未报送年度履职报告，予以警示。",
    ),
    Person(
        "ding.wei",
        "丁伟",
        "jinyun_parts",
        "质量部部长",
        False,
        9,
        MID,
        BACHELOR,
        ("IATF 16949", "防错"),
        "负责电驱动零部件过程审核与防错验证。",
    ),
    Person(
        "hu.min",
        "胡敏",
        "xinfu_forging",
        "副总经理",
        True,
        13,
        ASSOC,
        BACHELOR,
        ("精益生产", "质量管理体系"),
        "分管质量与安全，推动锻件质量追溯系统上线。",
        status="applicant",
    ),
    Person(
        "shao.yong",
        "邵勇",
        "shinao_refractory",
        "副总工程师",
        False,
        16,
        SENIOR,
        BACHELOR,
        ("新材料工艺", "QC小组"),
        "耐火材料配方与工艺专家，多次担任市级QC成果发布评委。",
    ),
    Person(
        "jiang.tao",
        "蒋涛",
        "tongqu_logistics",
        "质量主管",
        False,
        7,
        JUNIOR,
        BACHELOR,
        ("服务质量",),
        "负责运输服务质量考核与客户满意度测量。",
        visibility="members",
    ),
    Person(
        "mao.hong",
        "毛红",
        "taiyue_valve",
        "技术质量部部长",
        False,
        12,
        MID,
        BACHELOR,
        ("FMEA", "可靠性工程"),
        "负责阀门产品型式试验与可靠性验证。",
    ),
)

# Bodies and pages ----------------------------------------------------------------------------------------

HOME_LEAD = "首席质量官自学提升、交流分享信息平台"
HOME_INTRO = (
    "<p>本平台依据《关于深化企业首席质量官制度的意见》建设，为全省企业首席质量官提供学习、交流和履职服务。"
    "在这里可以申请备案、加入<b>首席质量官联盟</b>和<b>首席质量官之家</b>、分享质量改进案例、参加质量论坛与培训。</p>"
    "<p>到2025年，全省力争实现企业首席质量官达到1000名，政府质量奖企业和“山西精品”申报企业首席质量官全覆盖。</p>"
)

ALLIANCE = {
    "kind": "alliance",
    "title": "山西省首席质量官联盟",
    "slug": "alliance",
    "lead": "全省首席质量官的自治组织：比案例、办论坛、解共性难题",
    "founded": (2022, 6, 18),
    "contact": "联盟秘书处 · alliance@demo.cqo.cn · 工作日 9:00–17:00",
    "intro": (
        "<p>山西省首席质量官联盟由全省已备案的企业首席质量官自愿组成，在市场监管部门指导下开展自我管理、"
        "自我服务。联盟每年组织质量改进经典案例评比，举办全省质量论坛，推动六西格玛、QC小组、卓越绩效等方法"
        "在企业落地。</p>"
        "<p>联盟在11个设区的市设立分会，就近组织交流和现场观摩；对于推行首席质量官制度中遇到的共性问题，"
        "联盟汇总成员意见，开展专题研究并向主管部门提出建议。</p>"
    ),
    "charter": (
        "<h3>第一章 总则</h3>"
        "<p>第一条 山西省首席质量官联盟（以下简称“联盟”）是全省企业首席质量官自愿组成的自治性交流组织，"
        "依据省市场监督管理局关于搭建首席质量官交流分享平台、推动建立“首席质量官联盟”的要求设立。</p>"
        "<p>第二条 联盟以“交流互鉴、共同提升、服务质量强省”为宗旨，在市场监管部门指导下开展活动，"
        "实行自我管理、自我服务、自我约束。</p>"
        "<h3>第二章 主要任务</h3>"
        "<ol><li>组织质量改进经典案例评比，总结推广成员企业的成功经验；</li>"
        "<li>举办质量论坛、专题研讨和现场观摩等群众性质量活动；</li>"
        "<li>收集和研究推行首席质量官制度中的共性问题，提出解决办法和政策建议；</li>"
        "<li>配合开展首席质量官能力提升培训和继续教育。</li></ol>"
        "<h3>第三章 成员</h3>"
        "<p>第三条 已在所在县（市、区）市场监管部门完成聘任备案的首席质量官，可在平台申请加入联盟，"
        "经秘书处审核同意后成为成员，并可选择所在城市的分会。</p>"
        "<p>第四条 成员应恪守职业操守，保守企业商业秘密，积极参加联盟活动。对责任心不强、履职不到位的成员，"
        "联盟配合主管部门给予警示；造成重大质量安全事故的，按规定作退出处置。</p>"
        "<h3>第四章 组织机构</h3>"
        "<p>第五条 联盟设理事会，由理事长、副理事长、秘书长和理事组成，每届三年。日常工作由秘书处承担。"
        "各设区的市设立分会，在联盟指导下开展本地活动。</p>"
        "<h3>第五章 附则</h3>"
        "<p>第六条 本章程经成员大会表决通过后施行，由联盟理事会负责解释。</p>"
    ),
    "officers": (
        ("理事长", "judge", "刘建华", "太原晋鼎智能装备有限公司"),
        ("副理事长", "member", "王晓峰", "晋城华瑞精密铸造有限公司"),
        ("副理事长", "yang.fan", "杨帆", "长治潞光精密光学有限公司"),
        ("监事长", "guo.hongmei", "郭红梅", "阳泉狮脑山耐火材料有限公司"),
        ("秘书长", "", "周敏", "联盟秘书处"),
    ),
    "chapters": tuple(city.code for city in CITIES),
    "chapter_title": "{city}分会",
    "chapter_roles": ("会长", "秘书长"),
}

HOME = {
    "kind": "home",
    "title": "首席质量官之家",
    "slug": "home-of-cqos",
    "lead": "首席质量官学习成长、互助答疑的共同家园",
    "founded": (2022, 9, 9),
    "contact": "之家秘书处 · home@demo.cqo.cn · 工作日 9:00–17:00",
    "intro": (
        "<p>首席质量官之家是首席质量官自学提升、交流分享的共同家园。之家通过读书会、案例剖析、分组交流和"
        "企业现场观摩，帮助新任首席质量官尽快熟悉岗位，也为资深首席质量官提供分享经验的舞台。</p>"
        "<p>之家设立“老带新”结对帮带，并在常见问题讨论区集中解答成员在体系建设、质量攻关和备案工作中"
        "遇到的困惑。</p>"
    ),
    "charter": (
        "<h3>一、宗旨</h3>"
        "<p>首席质量官之家（以下简称“之家”）是首席质量官自我管理、自我提升的自治活动组织，"
        "致力于营造互学互助、共同成长的氛围，增强首席质量官的使命感和责任感。</p>"
        "<h3>二、活动内容</h3>"
        "<ol><li>定期举办读书会和案例剖析会，交流质量管理的理论与实践；</li>"
        "<li>组织分组交流和现场观摩，学习先进企业的质量管理做法；</li>"
        "<li>开展“老带新”结对帮带，帮助拟任和新任首席质量官提升履职能力；</li>"
        "<li>在平台讨论区收集共性问题，邀请专家答疑，将成果提交首席质量官联盟研究。</li></ol>"
        "<h3>三、成员</h3>"
        "<p>已备案的首席质量官可自愿申请加入，经秘书处确认后成为成员。成员应按时参加活动和继续教育，"
        "交流中注意保护企业商业秘密和合作伙伴信息。</p>"
        "<h3>四、管理</h3>"
        "<p>之家设主任一名、副主任若干名，秘书处负责日常联络。对长期不参加活动、不履行成员义务的，"
        "之家予以提醒；受到主管部门警示或退出处置的，相应暂停或终止其成员资格。</p>"
    ),
    "officers": (
        ("主任", "moderator", "张丽萍", "晋中榆次康和制药有限公司"),
        ("副主任", "xue.peng", "薛鹏", "永济蒲州电机有限公司"),
        ("副主任", "feng.xiaoli", "冯晓丽", "清徐醯香酿造有限公司"),
        ("秘书长", "", "周敏", "之家秘书处"),
    ),
    "chapters": ("140500", "140100", "140400", "140800"),
    "chapter_title": "{city}之家",
    "chapter_roles": ("负责人", "联络员"),
}

BODIES = (ALLIANCE, HOME)

CHAPTER_INTRO = (
    "<p>{title}由{city}已备案的首席质量官组成，在{body}指导下就近开展案例交流、现场观摩和专题研讨，"
    "并协助市级市场监管部门组织首席质量官任职基础培训。</p><p>{note}</p>"
)

# Memberships ---------------------------------------------------------------------------------------------

MOTIVATIONS = (
    "希望与同行交流质量改进经验，学习先进的质量管理方法。",
    "想把本企业的质量攻关案例分享出来，也希望听到其他企业的做法。",
    "希望参加案例评比和质量论坛，提升自己的履职能力。",
    "本企业正在推进卓越绩效模式，希望在组织内找到可以请教的专家。",
    "愿意为本市质量工作出一份力，参与分会组织的现场观摩活动。",
)
PENDING_IN_ALLIANCE = ("wu.jing", "pan.wenjing", "ding.wei")
PENDING_IN_HOME = ("kang.lin",)
DECLINED = ("chai.yun", "home", "您目前处于警示期，待整改完成、警示解除后欢迎重新申请加入。")

# Status reasons ------------------------------------------------------------------------------------------

REASON_FILED = "企业提交首席质量官聘任备案材料。"
REASON_APPROVED = "所在县（市、区）市场监管局审核通过聘任备案。"

# Large scale (`--scale large`): word lists the benchmark data is combined from ---------------------------

BENCH_PREFIX = "bench"
BENCH_PEOPLE = 2000
BENCH_FIRMS = 300
BENCH_FIRST_SERIAL = 100001

BENCH_BRANDS = tuple(
    "鼎新 恒信 瑞丰 宏晟 华晋 广源 汇通 中拓 金泰 富康 永盛 嘉禾 润达 博远 天衡 "
    "昌隆 辰阳 德润 锦程 凯越 启明 荣达 尚品 泰和 万象 新科 亿丰 卓远 振宇 众合".split()
)
# Industry section, the trades of that section, and its weight.
BENCH_TRADES = (
    ("C", tuple("机械制造 精密部件 新材料 食品 电气设备 包装材料 汽车配件 化工 建材 纺织".split()), 12),
    ("B", ("矿业",), 1),
    ("D", ("热力", "新能源发电"), 1),
    ("E", ("建设工程",), 1),
    ("G", ("物流",), 1),
    ("I", ("信息技术",), 1),
    ("M", ("检测技术",), 1),
)
BENCH_SIZES = ((ABOVE, 5), (MEDIUM, 3), (SMALL, 2))

BENCH_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
BENCH_GIVEN = tuple(
    "建国 志强 晓东 丽华 海燕 国庆 秀英 文涛 俊杰 雪梅 建军 红霞 永红 晓明 伟 静 敏 磊 洋 勇 "
    "军 杰 娟 涛 明 超 霞 平 刚 桂英 玉兰 志刚 宏伟 晓燕 春梅 利民 振华 瑞芳 思源 嘉怡 子豪 "
    "浩然 雨涵 欣怡 晨阳 一鸣 佳琪 梓涵 建平 鹏飞".split()
)
# Position, senior executive?, weight.
BENCH_POSITIONS = (
    ("副总经理", True, 6),
    ("质量总监", True, 4),
    ("总工程师", True, 2),
    ("副总裁", True, 1),
    ("质量部部长", False, 3),
    ("品质经理", False, 2),
    ("质量负责人", False, 2),
)
BENCH_EXPERTISE = tuple(
    "六西格玛 精益生产 QC小组 卓越绩效 SPC FMEA 质量管理体系 可靠性工程 8D 防错 "
    "测量系统分析 质量成本 标准化 供应商质量管理 食品安全管理 计量管理".split()
)
BENCH_BIO = "在{firm}负责质量管理工作{years}年，擅长{skill}，愿意与同行交流。"
# Status and weight: mostly active members.
BENCH_STATUSES = (("active", 85), ("warned", 4), ("filing_submitted", 5), ("applicant", 4), ("exited", 2))
