"""The plan texts of the two demo applications, element id of the outline → value.

Everything here is FICTIONAL, written for the demonstration and consistent with the bundled
examples (``examples/community`` 青枫里社区 and ``examples/zone`` 望江湾低碳发展实践区): the
boundaries, areas, populations, households, tasks and targets are the examples' own figures, and
the emission figures are what the accounting engine computes from the examples' baseline data
under the demo round's factor set. No real place, body or company is described.

Only text, quantity and integer elements are filled (``outlines.EDITABLE_KINDS``); tables, lists
and drawn boundaries get their own editors and are filled there.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMMUNITY_SECTIONS", "COMMUNITY_TARGETS", "ZONE_SECTIONS"]

# The demo's two units play two parts (issue 14 item 18), named on the sign-in page and by
# ``serve_demo``: the community is the showcase whose plan holds together — every target met,
# the tasks' reductions 衔接 with the overall target (附件2 三) — and the zone keeps the example's
# gaps to show the checks at work (targets missed, the gap in tonnes, 未衔接).
# The example community's 2027 targets (0.70 t per resident, −6.5 %) sit just beyond what its
# nine tasks reach (0.7009 t, −6.44 %: the example keeps that near miss for the precision tests
# of the documents), so the showcase states the 2027 targets its tasks reach: (kind, year) →
# value, replacing the example's in the imported accounting data and in the plan's texts below.
COMMUNITY_TARGETS: dict[tuple[str, int], str] = {
    ("per_capita", 2027): "0.71",
    ("per_capita_decline_rate", 2027): "6.0",
}

# 附件3 低碳社区（近零碳排放社区）创建实施方案编制指南. Figures: examples/community/accounting.yaml
# (2025 drivers; base year 2023: 6 083 tCO2, 0.749 tCO2 per resident).
COMMUNITY_SECTIONS: dict[str, Any] = {
    # 1.1 社区情况简介
    "geographic_location": (
        "青枫里社区位于徐汇区青枫街道中部，东至枫溪路，南至青禾路，西至望园路，北至北塘河，"
        "距青枫街道办事处约1.2公里。（演示数据：社区、街道及道路名称均为虚构。）"
    ),
    "area": "0.38",
    "regional_position": (
        "社区地处中心城区西南部的成熟居住片区，北临北塘河滨河绿带，南接青禾路商业街，"
        "是街道“15分钟社区生活圈”的示范单元之一。"
    ),
    "transport_conditions": (
        "社区周边500米范围内有轨道交通站点1处、公交站点4处，设有共享单车停放点6处；"
        "社区内部道路实行人车分流，已建成非机动车集中充电棚3处、公共新能源汽车充电桩24个。"
    ),
    "infrastructure_connection": (
        "社区供电、供水、燃气和雨污分流管网均已接入市政系统；北塘河滨河步道与社区绿道相连，"
        "社区服务中心与街道社区卫生服务站、养老综合体共享食堂和活动空间。"
    ),
    "jurisdiction_composition": (
        "居委会管辖6个居住小区（1980年代建成的多层住宅小区4个、2000年以后建成的高层住宅小区2个），"
        "居民住宅建筑面积22.65万平方米，户数3060户，常住人口8190人，户籍人口6455人；"
        "另有社区服务中心、居委会、社区食堂及配套商铺约1.04万平方米，社会单位12家。"
    ),
    "residential_compound_count": 6,
    "residential_floor_area": "226500",
    "households": 3060,
    "resident_population": 8190,
    "registered_population": 6455,
    # 1.2 创建活动实施方情况
    "implementing_bodies": (
        "由青枫街道办事处牵头，青枫里社区居委会具体实施，社区党总支、业委会、物业服务企业、"
        "社区共建单位（市环境科学研究机构、辖区学校）共同参与，成立青枫里社区低碳社区创建工作小组。"
    ),
    "organisational_structure": (
        "工作小组组长由街道分管副主任担任，副组长由社区党总支书记和居委会主任担任，"
        "下设综合协调、宣传活动、项目建设和数据监测四个专项组，分别由居委会、志愿者队伍、"
        "物业服务企业和共建单位负责，每月召开一次推进会，每季度向街道报告进展。"
    ),
    # 2.1 社区低碳建设的现状
    "low_carbon_status": (
        "以2023年为基准年，社区碳排放总量约6083吨二氧化碳，人均约0.75吨，其中居民生活用电约占八成，"
        "居民管道天然气约占一成三；已建成社区服务中心屋顶光伏，开展垃圾分类和低碳家庭创建，"
        "但老旧多层住宅节能水平偏低，公共设施用能缺少分项计量。"
    ),
    "awareness_status": (
        "社区组建了80余人的低碳志愿者队伍，依托社区公众号、宣传栏和低碳角开展宣传，"
        "每季度举办一次跳蚤市场；2025年评选低碳家庭120户，居民低碳意识逐年提高，"
        "但青年家庭参与度仍然不高。"
    ),
    "building_retrofit_status": (
        "2022年以来完成公共照明和楼道感应灯LED改造，4台电梯加装能量回馈装置；"
        "1980年代建成的多层住宅外窗和屋面保温较差，门窗节能改造已列入计划，尚未实施。"
    ),
    "low_carbon_travel_status": (
        "居民以公交、轨道交通和非机动车出行为主；电动自行车实行集中充电和错峰管理，"
        "公共新能源汽车充电桩用电量由2023年的19万千瓦时增至2025年的33.8万千瓦时。"
    ),
    "resource_recycling_status": (
        "6个小区均实行垃圾定时定点分类投放，设有大件垃圾堆放点和可回收物回收站；"
        "社区食堂于2025年完成电气化改造，湿垃圾就地资源化设备正在选址。"
    ),
    "greening_status": (
        "社区绿地（含小区绿化和口袋公园）约8.95公顷，乔木约2500株，本地植物比例约82%；"
        "2024年启动碳汇林认养，首批认养家庭60户。"
    ),
    # 2.2 重点分析创建的可行性
    "favourable_conditions": (
        "街道将低碳社区创建列入年度重点工作并安排专项资金；社区已具备光伏、充电设施和分项计量的基础，"
        "居民自治组织健全，志愿者队伍稳定，共建单位可提供碳排放核算和监测技术支持。"
    ),
    "emission_reduction_potential": (
        "按实施方案的9项任务测算，全部达效后年减排约233吨二氧化碳，其中低碳家庭创建约96吨、"
        "屋顶光伏约53吨、垃圾分类精细化约35吨；新增碳汇约5.8吨二氧化碳每年。"
        "人均碳排放可由基准年的0.75吨降至2027年的0.70吨左右，可实现0.71吨、下降6.0%的目标。"
    ),
    # 3.1 主要目标
    "construction_targets": (
        "到2027年底，建成居民广泛参与、设施低碳高效、管理数字化的低碳社区："
        "人均碳排放量降至0.71吨二氧化碳以下，较2023年下降6.0%；2025年阶段目标为0.73吨，下降2.5%；"
        "低碳家庭达到500户，公共设施用能分项计量全覆盖。"
    ),
    "per_capita_emissions": "0.71",
    "per_capita_emission_decline_rate": "6.0",
    # 3.2 总体思路
    "overall_approach": (
        "坚持“居民主体、街道统筹、共建支撑”，以低碳家庭创建带动居民行为转变，"
        "以光伏、照明、电梯和食堂电气化等项目降低公共用能，以监控信息系统实现数据可核查，"
        "形成可复制的老旧小区低碳化路径。"
    ),
    "main_considerations": (
        "一是居民生活用电是最大排放源，行为引导和家庭能耗台账是减排重点；"
        "二是老旧小区改造空间有限，优先实施投入小、见效快的项目；"
        "三是减排量按核算方法统一口径测算，任务减排量与总体目标相衔接。"
    ),
    # 3.3 建设内容
    "overall_framework": (
        "按组织管理、低碳行为、低碳示范项目三个方面设计总体框架：组织管理方面健全工作小组、"
        "制度和档案；低碳行为方面开展低碳家庭、绿色出行、光盘行动和跳蚤市场等活动；"
        "低碳示范项目方面实施屋顶光伏、公共照明改造、电梯能量回馈、食堂电气化、雨水花园、"
        "碳汇林认养和社区温室气体排放监控信息系统。"
    ),
    # 3.4 保障措施
    "safeguards_organisation": (
        "工作小组每月召开推进会，建立任务清单和责任清单，将创建任务纳入居委会年度考核，"
        "街道每半年开展一次督导检查。"
    ),
    "safeguards_funding": (
        "街道专项资金安排约180万元，社区自筹及物业维修资金约60万元，"
        "屋顶光伏采用合同能源管理模式引入社会资本，资金使用情况按季度公示。"
    ),
    "safeguards_schedule": (
        "2025年完成方案编制和公共照明、充电设施改造；2026年完成屋顶光伏扩容、电梯和水泵改造；"
        "2027年完成门窗改造试点、监控信息系统完善并迎接验收。"
    ),
    "safeguards_publicity_and_training": (
        "依托社区公众号、宣传栏和低碳活动基地，每季度开展一次主题宣传；"
        "每年组织志愿者和物业人员参加两次低碳知识培训，评选并宣传低碳家庭典型。"
    ),
}

# 附件1 低碳发展实践区（近零碳排放实践区）创建实施方案编制指南.
# Figures: examples/zone/accounting.yaml (base year 2023: 156 603 tCO2, renewable share 2.0 %;
# targets for 2025, 2027 and 2030).
ZONE_SECTIONS: dict[str, Any] = {
    # 1.1 区域情况简介
    "geographic_location": (
        "望江湾低碳发展实践区位于浦东新区滨江地带，东至望江路，南至沧湾河，西至云桥路，"
        "北至环湾大道。（演示数据：实践区、企业及道路名称均为虚构。）"
    ),
    "area": "3.6",
    "regional_position": (
        "实践区是区级产业与商务功能集聚区，以总部办公、商业综合体和精密制造为主，"
        "兼有约1.5万常住人口的居住片区，滨江岸线约2.4公里。"
    ),
    "transport_conditions": (
        "区内有轨道交通站点2座、公交线路11条，环湾大道和云桥路为主要对外通道；"
        "已建成公共充电站及公交充电场站6处，区内物流车队正逐步电动化。"
    ),
    "infrastructure_connection": (
        "区域电网由两座110千伏变电站供电，燃气、供水和雨污管网接入市政系统；"
        "滨江绿廊与相邻街镇的滨江公共空间贯通，区内楼宇与轨道交通站点以连廊相接。"
    ),
    # 1.2 创建活动实施方情况
    "implementing_bodies": (
        "望江湾管委会为创建主体，设立低碳发展办公室负责日常推进，区生态环境局、发展改革委、"
        "建设管理委和区内重点企业（含纳入碳交易的申湾精密制造）共同参与，成立实践区创建工作专班。"
    ),
    "organisational_structure": (
        "工作专班由管委会主任任组长，下设规划统计、能源建筑、交通、监管平台和宣传五个工作组；"
        "区内企业低碳联盟作为企业参与平台，每季度召开联席会议。"
    ),
    # 2.1 区域低碳建设的现状
    "low_carbon_status": (
        "以2023年为基准年，实践区碳排放总量约15.66万吨二氧化碳，以外购电力为主，"
        "其中纳入碳交易企业约占四分之一；可再生能源利用占比约2.0%，"
        "厂房和楼宇屋顶光伏年自发自用约840万千瓦时；区域碳汇约1094吨二氧化碳。"
    ),
    "development_plans": (
        "实践区控制性详细规划提出到2030年形成总部办公与先进制造融合发展的低碳城区，"
        "商务建筑面积增至约225万平方米，常住人口约1.65万人，GDP约470亿元。"
    ),
    "low_carbon_technology_applications": (
        "区内已应用分布式光伏、太阳能热水、楼宇能源管理系统和余热回收等技术；"
        "申湾精密制造开展绿电交易并编制碳披露报告，商场与酒店开展绿色消费活动。"
    ),
    # 2.2 重点分析创建的可行性
    "favourable_conditions": (
        "管委会设有专职低碳机构并安排年度节能低碳专项资金；区内屋顶资源丰富，"
        "重点企业已纳入碳交易管理，数据基础较好；轨道交通和滨江绿廊为低碳出行和碳汇提供了条件。"
    ),
    "emission_reduction_potential": (
        "实施方案的9项任务全部达效后，年减排约2.35万吨二氧化碳，其中绿电交易约7770吨、"
        "屋顶光伏扩容约5290吨、既有公共建筑节能改造约4350吨；滨江绿廊新增碳汇约240吨。"
        "任务减排量与2030年下降20%的总体目标之间尚有缺口，已列入后续重点项目储备。"
    ),
    # 3.1 总体思路和发展目标
    "overall_approach": (
        "以能源结构优化为主线，以近零碳排放示范楼宇和重点企业为抓手，统筹建筑、交通、"
        "监管体系和低碳人文，建成“可测量、可报告、可核查”的区域碳排放管理体系。"
    ),
    "construction_targets": (
        "区域碳排放总量较2023年分别于2025年、2027年、2030年下降3%、10%和20%；"
        "可再生能源利用占比分别达到6%、9%和13%；碳源碳汇比作为趋势指标，2030年降至110左右；"
        "2030年单位GDP碳排放降至0.030吨二氧化碳每万元。"
    ),
    "emission_decline_rate": "20",
    "renewable_share": "13",
    "source_sink_ratio": "110",
    # 3.3 重点项目及进度安排
    "expected_outcomes": (
        "重点项目全部建成后，新增光伏装机12兆瓦、年发电约1260万千瓦时，完成既有公共建筑节能改造"
        "20万平方米，建成创智中心近零碳排放示范楼宇1栋和区域碳排放监测与管理平台，"
        "形成可在同类产业园区推广的低碳发展经验。"
    ),
    # 3.4 保障措施
    "safeguards_organisation": (
        "工作专班实行任务清单、项目清单和责任清单管理，按季度通报进展，"
        "将创建任务纳入管委会各部门和重点企业年度考核。"
    ),
    "safeguards_funding_and_policy": (
        "管委会每年安排节能低碳专项资金约3000万元，对光伏、节能改造和近零碳排放示范项目给予补贴；"
        "积极争取市、区两级节能减排专项资金，鼓励合同能源管理和绿色金融。"
    ),
    "safeguards_publicity_and_training": (
        "依托企业低碳联盟、楼宇物业和社区开展低碳宣传，每年组织重点企业能源管理人员培训，"
        "结合全国低碳日举办绿色办公和绿色消费主题活动。"
    ),
}
