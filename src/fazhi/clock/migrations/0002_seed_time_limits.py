"""Seed the statutory time limits other modules rely on (DOMAIN.md §1.1, §1.5, §3, §4).

Each row is one version: ``(code, name, days, unit, legal_source, valid_from, valid_to, confidence, note)``.
``valid_to`` is the last day a version is in force. Later changes are entered as new versions through
``services.create_time_limit_version`` (audited); this migration writes the starting set directly.
"""

from datetime import date

from django.db import migrations

W, C, M = "working", "calendar", "month"

LIMITS = [
    # 双公示 and 三项制度 (DOMAIN §1.1, §1.5)
    (
        "sgs.publish",
        "双公示：行政许可、行政处罚信息上网公示",
        7, W,
        "国办发〔2015〕51号《关于运用大数据加强对市场主体服务和监管的若干意见》第（十八）条：自作出行政决定之日起"
        "7个工作日内上网公开；发改电〔2015〕557号；发改办财金〔2018〕424号；国办发〔2018〕118号",
        date(2015, 6, 24), None, "high", "",
    ),
    (
        "enforcement.publish_other",
        "其他行政执法决定公示",
        20, W,
        "国办发〔2018〕118号《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》："
        "行政许可、行政处罚以外的执法决定信息在20个工作日内公开",
        date(2018, 12, 5), None, "high", "行政许可、行政处罚决定适用 sgs.publish（7个工作日）。",
    ),
    (
        "penalty.withdraw",
        "行政处罚决定变更、撤销、确认违法或无效后撤回公示",
        3, W,
        "《中华人民共和国行政处罚法》（2021年修订）第四十八条：应当在三日内撤回行政处罚决定信息并公开说明理由；"
        "第八十五条：“三日”指工作日",
        date(2021, 7, 15), None, "high", "",
    ),
    (
        "penalty.decide",
        "行政处罚案件作出决定",
        90, C,
        "《中华人民共和国行政处罚法》（2021年修订）第六十条：自立案之日起九十日内作出行政处罚决定"
        "（法律、法规、规章另有规定的，从其规定）",
        date(2021, 7, 15), None, "high", "2021年7月15日前的行政处罚法没有统一的办案期限。",
    ),
    (
        "penalty.hearing_request",
        "行政处罚：当事人要求听证",
        3, C,
        "《中华人民共和国行政处罚法》（2017年修正）第四十二条：当事人要求听证的，应当在行政机关告知后三日内提出",
        date(1996, 10, 1), date(2021, 7, 14), "medium", "旧法未规定“三日”为工作日，按自然日计算（单位系推定）。",
    ),
    (
        "penalty.hearing_request",
        "行政处罚：当事人要求听证",
        5, W,
        "《中华人民共和国行政处罚法》（2021年修订）第六十四条：当事人要求听证的，应当在行政机关告知后五日内提出；"
        "第八十五条：“五日”指工作日",
        date(2021, 7, 15), None, "high", "",
    ),
    # 山西“13710”工作制度 (DOMAIN §3): calendar days in all official phrasing
    (
        "13710.deploy",
        "“13710”督办：研究部署",
        1, C,
        "山西省人民政府办公厅《关于建立“13710”工作制度的通知》（2016年9月）：“1”——1天内研究部署",
        date(2016, 9, 1), None, "medium", "官方表述为“当天研究部署”；按起算日不计入计为1日。",
    ),
    (
        "13710.feedback",
        "“13710”督办：反馈办理情况",
        3, C,
        "山西省人民政府办公厅《关于建立“13710”工作制度的通知》（2016年9月）：“3”——3天内反馈办理情况",
        date(2016, 9, 1), None, "medium", "",
    ),
    (
        "13710.resolve",
        "“13710”督办：一般性问题落实解决",
        7, C,
        "山西省人民政府办公厅《关于建立“13710”工作制度的通知》（2016年9月）：“7”——一般性问题原则上7天内落实解决",
        date(2016, 9, 1), None, "medium", "",
    ),
    (
        "13710.resolve_major",
        "“13710”督办：重大（复杂）问题落实解决",
        1, M,
        "山西省人民政府办公厅《关于建立“13710”工作制度的通知》（2016年9月）：“1”——重大问题1个月内落实解决",
        date(2016, 9, 1), None, "medium", "确实解决不了的，要明确时间节点和解决方案。",
    ),
    # 行政复议 (DOMAIN §4.1)
    (
        "reconsideration.apply",
        "行政复议：申请期限",
        60, C,
        "《中华人民共和国行政复议法》第九条：自知道该具体行政行为之日起六十日内提出行政复议申请（法律规定超过六十日的除外）",
        date(1999, 10, 1), date(2023, 12, 31), "high", "",
    ),
    (
        "reconsideration.apply",
        "行政复议：申请期限",
        60, C,
        "《中华人民共和国行政复议法》（2023年修订）第二十条：自知道或者应当知道该行政行为之日起六十日内提出"
        "（法律规定超过六十日的除外）",
        date(2024, 1, 1), None, "high", "",
    ),
    (
        "reconsideration.accept",
        "行政复议：受理审查",
        5, W,
        "《中华人民共和国行政复议法》第十七条：收到申请后五日内审查，决定是否受理；第四十条：“五日”指工作日",
        date(1999, 10, 1), date(2023, 12, 31), "high", "",
    ),
    (
        "reconsideration.accept",
        "行政复议：受理审查",
        5, W,
        "《中华人民共和国行政复议法》（2023年修订）第三十条：收到申请之日起五日内审查；"
        "第八十八条：“五日”指工作日",
        date(2024, 1, 1), None, "high", "期限届满未作出不予受理决定的，视为受理。",
    ),
    (
        "reconsideration.decide",
        "行政复议：作出复议决定",
        60, C,
        "《中华人民共和国行政复议法》第三十一条：自受理申请之日起六十日内作出决定（法律规定少于六十日的除外）；"
        "情况复杂的，经批准可以延长，但延长期限最多不超过三十日",
        date(1999, 10, 1), date(2023, 12, 31), "high", "",
    ),
    (
        "reconsideration.decide",
        "行政复议：作出复议决定",
        60, C,
        "《中华人民共和国行政复议法》（2023年修订）第六十二条：适用普通程序的，自受理申请之日起六十日内作出决定；"
        "情况复杂的，经批准可以延长，但延长期限最多不超过三十日",
        date(2024, 1, 1), None, "high", "简易程序为三十日。",
    ),
    (
        "litigation.answer",
        "行政应诉：提交答辩状和证据",
        15, C,
        "《中华人民共和国行政诉讼法》第六十七条：被告应当在收到起诉状副本之日起十五日内向人民法院提交作出行政行为的"
        "证据和所依据的规范性文件，并提出答辩状",
        date(2015, 5, 1), None, "high", "",
    ),
    # 信访 (DOMAIN §4.1): the 2020 report year falls under 信访条例
    (
        "petition.conclude",
        "信访事项办结",
        60, C,
        "《信访条例》（2005年）第三十三条：信访事项应当自受理之日起60日内办结；情况复杂的，经批准可以适当延长，"
        "但延长期限不得超过30日",
        date(2005, 5, 1), date(2022, 4, 30), "high", "",
    ),
    (
        "petition.conclude",
        "信访事项办结",
        60, C,
        "《信访工作条例》（2022年5月1日起施行）第三十四条至第三十六条：申诉求决类信访事项自受理之日起60日内办结；"
        "情况复杂的，经批准可以适当延长，但延长期限不得超过30日",
        date(2022, 5, 1), None, "high", "",
    ),
    # 行政许可 (DOMAIN §4.1)
    (
        "licensing.decide",
        "行政许可：作出许可决定",
        20, W,
        "《中华人民共和国行政许可法》第四十二条：自受理申请之日起二十日内作出决定，经批准可以延长十日；"
        "第八十二条：行政许可的期限以工作日计算",
        date(2004, 7, 1), None, "high", "听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的时间不计算在内（第四十五条）。",
    ),
    (
        "licensing.supplement_notice",
        "行政许可：一次告知补正材料",
        5, W,
        "《中华人民共和国行政许可法》第三十二条：申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知"
        "申请人需要补正的全部内容；第八十二条：以工作日计算",
        date(2004, 7, 1), None, "high", "逾期不告知的，自收到申请材料之日起即为受理。",
    ),
    # 人大代表建议、规章备案、政府信息公开、重大行政决策 (DOMAIN §4.1)
    (
        "deputy.answer",
        "人大代表建议答复",
        3, M,
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第四十二条：自交办之日起三个月内答复；"
        "涉及面广、处理难度大的，应当在六个月内答复",
        date(2015, 8, 29), None, "high", "涉及面广、处理难度大的建议适用 deputy.answer_complex（6个月）。",
    ),
    (
        "deputy.answer_complex",
        "人大代表建议答复（涉及面广、处理难度大）",
        6, M,
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第四十二条",
        date(2015, 8, 29), None, "high", "",
    ),
    (
        "rule.filing",
        "政府规章报送备案",
        30, C,
        "《规章制定程序条例》第三十四条、《法规规章备案条例》第三条：规章应当自公布之日起30日内报送备案",
        date(2002, 1, 1), None, "high", "",
    ),
    (
        "gov_info.request",
        "政府信息公开：依申请答复",
        20, W,
        "《中华人民共和国政府信息公开条例》（2019年修订）第三十三条：自收到申请之日起20个工作日内予以答复；"
        "需要延长的，经批准可以延长，但延长的期限最长不得超过20个工作日",
        date(2019, 5, 15), None, "high", "",
    ),
    (
        "gov_info.publish",
        "政府信息公开：主动公开",
        20, W,
        "《中华人民共和国政府信息公开条例》（2019年修订）第二十六条：自该政府信息形成或者变更之日起20个工作日内"
        "及时公开",
        date(2019, 5, 15), None, "high", "",
    ),
    (
        "decision.legality_review",
        "重大行政决策：送请合法性审查（审查时间不少于）",
        7, W,
        "《重大行政决策程序暂行条例》第二十五条、第二十六条：送请合法性审查，应当保证必要的审查时间，一般不少于7个工作日",
        date(2019, 9, 1), None, "high", "这是应留给审查的最短时间，不是办理时限。",
    ),
]


def seed_rows(apps, rows):
    """Write rows of the shape above; later seed migrations call this too."""
    TimeLimit = apps.get_model("clock", "TimeLimit")
    for code, name, days, unit, legal_source, valid_from, valid_to, confidence, note in rows:
        TimeLimit.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={
                "name": name,
                "days": days,
                "unit": unit,
                "legal_source": legal_source,
                "valid_to": valid_to,
                "confidence": confidence,
                "note": note,
            },
        )


def unseed_rows(apps, rows):
    TimeLimit = apps.get_model("clock", "TimeLimit")
    for code, *_rest, valid_from, _valid_to, _confidence, _note in rows:
        TimeLimit.objects.filter(code=code, valid_from=valid_from, runs__isnull=True).delete()


def seed(apps, schema_editor):
    seed_rows(apps, LIMITS)


def unseed(apps, schema_editor):
    unseed_rows(apps, LIMITS)


class Migration(migrations.Migration):
    dependencies = [("clock", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
