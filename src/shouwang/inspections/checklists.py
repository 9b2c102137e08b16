"""The standard checklists shipped with Shouwang, as data: one per kind of place of the demo
district (fuel station, gas station, school, kindergarten, hospital, market, hotel, shopping
centre, square, pedestrian street, hazardous-chemicals store), in the words of a Chinese street
office. `services.install_standard_checklists(node)` installs them on a node; an office edits
them afterwards like any other template (a used version never changes).

Severities follow one scale: a gas leak or flammable gas above its alarm limit is a major
hazard (重大隐患); a blocked fire exit or a dead alarm is serious; a missing log or an expired
extinguisher is a general hazard; free text and photos are observations (they record, they
never fail).
"""

from .choices import AnswerType, Severity

MAJOR, URGENT, SERIOUS, GENERAL, NOTE = (Severity.MAJOR.value, Severity.URGENT.value, Severity.SERIOUS.value,
                                         Severity.GENERAL.value, Severity.NOTE.value)


def yes_no(section, text, severity=GENERAL, weight=2, photo=False, guidance=""):
    return {"section": section, "text": text, "answer_type": AnswerType.YES_NO.value, "severity": severity,
            "weight": weight, "photo_required": photo, "guidance": guidance}


def number(section, text, unit, *, low=None, high=None, severity=GENERAL, weight=2, guidance=""):
    return {"section": section, "text": text, "answer_type": AnswerType.NUMBER.value, "min_value": low,
            "max_value": high, "unit_label": unit, "severity": severity, "weight": weight, "guidance": guidance}


def choice(section, text, options, failing, severity=GENERAL, weight=2, guidance=""):
    return {"section": section, "text": text, "answer_type": AnswerType.CHOICE.value, "options": list(options),
            "failing_options": list(failing), "severity": severity, "weight": weight, "guidance": guidance}


def text(section, question, guidance=""):
    return {"section": section, "text": question, "answer_type": AnswerType.TEXT.value, "severity": NOTE,
            "weight": 0, "guidance": guidance}


def photo(section, question, guidance=""):
    return {"section": section, "text": question, "answer_type": AnswerType.PHOTO.value, "severity": NOTE,
            "weight": 0, "photo_required": True, "guidance": guidance}


# Items most places share, reused below.
def _fire_exits(section="消防安全"):
    return yes_no(section, "安全出口、疏散通道畅通，未堵塞、锁闭", SERIOUS, 4, photo=True,
                  guidance="立即清理堵塞物，打开锁闭的安全出口")


def _extinguishers(section="消防安全"):
    return yes_no(section, "灭火器配置齐全、压力正常且在有效期内", GENERAL, 2,
                  guidance="更换过期或失压的灭火器")


def _duty_log(section="安全管理"):
    return choice(section, "值班与巡查记录", ["完整", "不完整", "缺失"], ["缺失"], GENERAL, 2,
                  guidance="补齐值班、巡查记录，落实专人记录")


STANDARD = [
    {
        "name": "加油站安全检查表",
        "category": "petroleum",
        "description": "加油站油罐区、加油区、配电与消防设施、安全管理的日常与节前检查。",
        "items": [
            number("油罐区", "油罐区可燃气体浓度", "%LEL", high=20, severity=MAJOR, weight=5,
                   guidance="超过20%LEL立即停止作业、切断电源、组织排查泄漏点"),
            yes_no("油罐区", "卸油口、量油孔密封良好，无渗漏", MAJOR, 4, photo=True,
                   guidance="发现渗漏立即停止卸油并报告"),
            yes_no("油罐区", "卸油时静电接地装置完好并正确连接", SERIOUS, 3),
            yes_no("加油区", "加油机无渗漏，紧急切断阀（急停按钮）有效", SERIOUS, 3),
            yes_no("加油区", "站区内无吸烟、无使用明火和手机接打电话", GENERAL, 2),
            yes_no("配电与防雷", "防爆电气完好，无私拉乱接电线", URGENT, 3,
                   guidance="24小时内拆除私拉线路，更换非防爆电器"),
            choice("配电与防雷", "防雷防静电检测报告", ["有效期内", "已过期", "无报告"], ["已过期", "无报告"],
                   GENERAL, 2, guidance="委托有资质机构检测"),
            _extinguishers(),
            number("消防安全", "推车式灭火器数量", "具", low=2, severity=SERIOUS, weight=2,
                   guidance="加油区至少配置2具35kg推车式灭火器"),
            yes_no("消防安全", "消防沙池沙量充足、消防器材柜完好", GENERAL, 1),
            _duty_log(),
            yes_no("安全管理", "加油员持证上岗，熟悉应急处置程序", GENERAL, 2),
            photo("现场记录", "油罐区与加油区现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "燃气调压站安全检查表",
        "category": "gas",
        "description": "燃气调压站（箱）泄漏检测、设备运行、周界防护与值守检查。",
        "items": [
            number("泄漏检测", "调压间可燃气体浓度", "%LEL", high=20, severity=MAJOR, weight=5,
                   guidance="超限立即通风、禁止一切火源并通知燃气公司抢修"),
            yes_no("泄漏检测", "管道、阀门、法兰接口无燃气泄漏（肥皂水或检测仪检查）", MAJOR, 4, photo=True),
            number("设备运行", "出口压力", "kPa", low=2.0, high=3.5, severity=URGENT, weight=3,
                   guidance="压力异常24小时内由燃气公司检修"),
            yes_no("设备运行", "安全放散阀、切断阀动作正常", SERIOUS, 3),
            yes_no("设备运行", "燃气泄漏报警装置运行正常", SERIOUS, 3),
            yes_no("周界防护", "围栏、门锁完好，警示标识清晰", GENERAL, 2),
            yes_no("周界防护", "周边无违章建筑、无堆放易燃物", SERIOUS, 2),
            choice("周界防护", "视频监控运行状态", ["正常", "部分故障", "全部故障"], ["部分故障", "全部故障"],
                   GENERAL, 2),
            _extinguishers(),
            _duty_log(),
            photo("现场记录", "调压设备现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "中小学校园安全检查表",
        "category": "school",
        "description": "校园“三防”建设、视频监控、重点部位巡查记录、消防与食堂安全检查（含学校方案E要求）。",
        "items": [
            yes_no("人防物防", "校门口上下学时段安保人员、护校队到岗", SERIOUS, 3),
            number("人防物防", "在岗专职保安人数", "人", low=2, severity=SERIOUS, weight=3,
                   guidance="按规定配足专职保安员"),
            yes_no("人防物防", "校门防冲撞设施（隔离桩、升降柱）完好", SERIOUS, 2),
            yes_no("人防物防", "一键报警装置与公安机关联网并测试正常", SERIOUS, 3),
            choice("技防监控", "视频监控运行情况（随机调看）", ["全部正常", "个别故障", "大面积故障"],
                   ["个别故障", "大面积故障"], SERIOUS, 4, guidance="故障摄像机7日内修复，期间增加人工巡查"),
            number("技防监控", "视频监控录像保存天数", "天", low=30, severity=GENERAL, weight=2,
                   guidance="录像保存不少于30天"),
            choice("巡查记录", "校门、围墙、宿舍等重点部位巡查记录", ["按时完整", "有遗漏", "缺失"],
                   ["有遗漏", "缺失"], GENERAL, 3, guidance="落实重点部位每日巡查并如实记录"),
            yes_no("巡查记录", "外来人员进出登记记录完整", GENERAL, 2),
            _fire_exits(),
            _extinguishers(),
            yes_no("食堂安全", "食堂燃气管道、阀门无泄漏，燃气报警器有效", MAJOR, 4,
                   guidance="发现泄漏立即关阀、疏散并通知燃气公司"),
            yes_no("食堂安全", "食品留样48小时并记录", GENERAL, 2),
            photo("现场记录", "校门口与监控室现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "幼儿园安全检查表",
        "category": "kindergarten",
        "description": "幼儿园门卫、接送、视频监控、消防与食堂安全检查。",
        "items": [
            yes_no("门卫与接送", "门卫室有保安值守，接送时段凭卡接送", SERIOUS, 3),
            yes_no("门卫与接送", "外来人员进出登记记录完整", GENERAL, 2),
            yes_no("门卫与接送", "一键报警装置测试正常", SERIOUS, 3),
            choice("技防监控", "视频监控覆盖园区出入口、活动室、午睡室", ["全部覆盖且正常", "部分故障", "未覆盖"],
                   ["部分故障", "未覆盖"], SERIOUS, 3),
            _fire_exits(),
            _extinguishers(),
            yes_no("设施设备", "大型玩具、楼梯护栏牢固无破损", GENERAL, 2),
            yes_no("食堂安全", "燃气管道、阀门无泄漏，燃气报警器有效", MAJOR, 4),
            _duty_log(),
            photo("现场记录", "园区出入口现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "医院安全检查表",
        "category": "hospital",
        "description": "医院安保、警医联动、消防、危化品（医用气体）与重点部位检查。",
        "items": [
            yes_no("安全防范", "急诊、门诊等重点部位保安在岗", SERIOUS, 3),
            yes_no("安全防范", "警医联动报警装置测试正常", SERIOUS, 3),
            choice("安全防范", "院区视频监控运行情况", ["全部正常", "个别故障", "大面积故障"],
                   ["个别故障", "大面积故障"], GENERAL, 2),
            _fire_exits(),
            _extinguishers(),
            yes_no("消防安全", "自动喷水灭火系统、火灾报警系统运行正常", SERIOUS, 3),
            number("消防安全", "消防水池水位", "m", low=3.0, severity=SERIOUS, weight=3,
                   guidance="水位低于设计值及时补水并查明原因"),
            yes_no("医用气体与危化品", "氧气、乙醇等危化品专库存放、双人双锁", URGENT, 3),
            yes_no("医用气体与危化品", "液氧站周边无明火、无油污", MAJOR, 3),
            _duty_log(),
            photo("现场记录", "消防控制室现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "农贸市场安全检查表",
        "category": "market",
        "description": "农贸市场消防、用电、燃气、通道与人员密集时段管理检查。",
        "items": [
            _fire_exits(),
            yes_no("消防安全", "消防车通道畅通，无占道经营", SERIOUS, 3),
            _extinguishers(),
            yes_no("用电安全", "摊位无私拉乱接电线、无电动车违规充电", URGENT, 3, photo=True,
                   guidance="24小时内拆除私拉线路，清理违规充电"),
            yes_no("燃气安全", "熟食摊位瓶装液化气钢瓶在检验期内，无泄漏", MAJOR, 4,
                   guidance="发现泄漏立即关阀、疏散、禁止火源"),
            number("燃气安全", "单个摊位存放液化气钢瓶数", "瓶", high=1, severity=SERIOUS, weight=2),
            choice("秩序管理", "早市高峰时段秩序", ["有序", "较拥挤", "严重拥挤"], ["严重拥挤"], GENERAL, 2),
            choice("技防监控", "市场视频监控运行情况", ["全部正常", "个别故障", "大面积故障"], ["大面积故障"],
                   GENERAL, 2),
            _duty_log(),
            photo("现场记录", "主通道现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "宾馆酒店安全检查表",
        "category": "hotel",
        "description": "宾馆酒店治安登记、消防设施、厨房燃气与安全管理检查。",
        "items": [
            yes_no("治安管理", "旅客住宿实名登记并按规定上传", SERIOUS, 3),
            yes_no("治安管理", "大堂、走廊视频监控运行正常", GENERAL, 2),
            _fire_exits(),
            yes_no("消防安全", "客房疏散示意图、应急照明完好", GENERAL, 2),
            yes_no("消防安全", "火灾自动报警系统运行正常，无故障屏蔽", SERIOUS, 3),
            number("消防安全", "消防水池水位", "m", low=2.5, severity=SERIOUS, weight=3),
            _extinguishers(),
            yes_no("厨房燃气", "厨房燃气管道无泄漏，燃气报警与紧急切断装置有效", MAJOR, 4),
            yes_no("厨房燃气", "排油烟管道定期清洗（有记录）", GENERAL, 2),
            _duty_log(),
            photo("现场记录", "消防控制室与厨房现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "商业综合体安全检查表",
        "category": "commercial_centre",
        "description": "购物广场、会展中心等商业综合体的客流、消防、用电与安保检查。",
        "items": [
            _fire_exits(),
            yes_no("消防安全", "防火卷帘下方无堆物，常闭式防火门关闭", SERIOUS, 3),
            yes_no("消防安全", "消防控制室双人持证值班", SERIOUS, 3),
            _extinguishers(),
            yes_no("用电安全", "临时展位用电规范，无私拉乱接", URGENT, 3),
            number("客流管控", "高峰时段瞬时客流", "人", high=8000, severity=URGENT, weight=3,
                   guidance="超过核定容量启动限流措施"),
            yes_no("客流管控", "大型活动有安全工作方案并备案", GENERAL, 2),
            choice("安保力量", "安保人员到岗情况", ["满员", "缺员一至两人", "缺员较多"], ["缺员较多"], GENERAL, 2),
            _duty_log(),
            photo("现场记录", "出入口与消防控制室现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "广场人员密集场所检查表",
        "category": "square",
        "description": "城市广场客流、防冲撞设施、视频监控与应急疏散检查。",
        "items": [
            yes_no("防冲撞设施", "出入口防冲撞石墩、隔离桩完好、间距符合要求", SERIOUS, 3, photo=True),
            choice("视频监控", "广场视频监控运行情况", ["全部正常", "个别故障", "大面积故障"],
                   ["个别故障", "大面积故障"], GENERAL, 2),
            number("客流管控", "高峰时段瞬时客流密度", "人/㎡", high=2, severity=URGENT, weight=3,
                   guidance="超过每平方米2人启动分流、限流"),
            yes_no("客流管控", "应急疏散通道畅通，疏散指示清晰", SERIOUS, 3),
            yes_no("客流管控", "大型活动审批与安全方案齐全", GENERAL, 2),
            yes_no("设施安全", "临时搭建舞台、灯架牢固，用电规范", URGENT, 3),
            choice("巡防力量", "巡防力量到岗情况", ["按方案到岗", "部分到岗", "未到岗"], ["部分到岗", "未到岗"],
                   GENERAL, 2),
            _duty_log(),
            photo("现场记录", "广场全景现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "商业步行街检查表",
        "category": "crowded_street",
        "description": "商业步行街店铺消防、占道经营、客流与巡防检查。",
        "items": [
            yes_no("消防安全", "消防车通道畅通，无占道经营、无车辆停放", SERIOUS, 3, photo=True),
            yes_no("消防安全", "沿街店铺无“三合一”住人现象", MAJOR, 4,
                   guidance="立即清人，限期拆除住人隔间"),
            _extinguishers(),
            yes_no("用电安全", "店铺无电动车室内停放充电", URGENT, 3),
            number("客流管控", "高峰时段瞬时客流密度", "人/㎡", high=2, severity=URGENT, weight=3),
            choice("巡防力量", "巡防力量到岗情况", ["按方案到岗", "部分到岗", "未到岗"], ["未到岗"], GENERAL, 2),
            yes_no("视频监控", "街面视频监控运行正常", GENERAL, 2),
            _duty_log(),
            photo("现场记录", "街面现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
    {
        "name": "危险化学品储存单位检查表",
        "category": "hazchem_store",
        "description": "危险化学品仓库的储存、泄漏检测、台账、人员与应急准备检查。",
        "items": [
            number("储存安全", "库房可燃气体浓度", "%LEL", high=20, severity=MAJOR, weight=5),
            number("储存安全", "库房温度", "℃", high=30, severity=URGENT, weight=3,
                   guidance="超温立即降温并检查通风设施"),
            yes_no("储存安全", "危险化学品分类分区储存，禁忌物料未混存", MAJOR, 4, photo=True),
            yes_no("储存安全", "储存量未超过核定最大储存量", SERIOUS, 3),
            yes_no("台账与人员", "出入库台账日清日结、账物相符", GENERAL, 3),
            yes_no("台账与人员", "双人收发、双人保管、双人双锁", SERIOUS, 3),
            yes_no("应急准备", "应急预案备案并按期演练", GENERAL, 2),
            yes_no("应急准备", "防护服、洗眼器、应急物资齐全", GENERAL, 2),
            _fire_exits(),
            _extinguishers(),
            photo("现场记录", "库房现场照片"),
            text("现场记录", "其他发现与说明"),
        ],
    },
]
