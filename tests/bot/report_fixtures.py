"""Made-up news reports (never copied from the shared corpus) with one kind of hard question each: ranks, dates
inside event sentences, names of awards, who holds a role, paraphrased measures, figures of another period,
comparisons across two documents, pronoun follow-ups, lists announced before their items, a post taken and a
meeting reported the day after."""

from __future__ import annotations

import json
from pathlib import Path

REPORTS = [
    {"doc_id": "suzhou-economy", "date": "2023-07-20", "title": "苏州上半年经济运行情况发布",
     "text": "7月20日，苏州市统计局发布上半年经济运行情况。上半年，苏州地区生产总值达到11587亿元，同比增长5.8%，"
             "增速居全省第三位。规上工业增加值同比增长4.3%。\n"
             "全市重点项目开工率达到92%，比去年同期提高6个百分点。社会消费品零售总额达到4520亿元。\n"
             "下半年，苏州将继续稳住工业基本盘。"},
    {"doc_id": "wuxi-meeting", "date": "2023-05-10", "title": "无锡召开全市安全生产工作会议",
     "text": "5月8日，无锡市召开全市安全生产工作会议，市长赵建军出席会议并讲话。会议总结了一季度安全生产工作，"
             "部署了下一阶段重点任务。\n会议指出，今年以来全市安全生产形势总体平稳，事故起数同比下降12%。\n"
             "会议要求，各地各部门要抓好四件事。一是压实企业主体责任。二是深化隐患排查整治。三是加强应急救援能力"
             "建设。四是严格督查考核。"},
    {"doc_id": "baisha-village", "date": "2023-06-02", "title": "白沙村获评省级美丽乡村示范村",
     "text": "近日，省农业农村厅公布了2023年度美丽乡村建设评比结果，常熟市白沙村被评为“省级美丽乡村示范村”。"
             "白沙村现有村民1260户，去年村集体经济收入达到386万元。\n"
             "白沙村党支部书记钱玉兰介绍，村里的民宿产业带动村民人均增收8000元。"
             "下一步，白沙村将打造“稻田+民宿”的乡村旅游品牌。"},
    {"doc_id": "wuxi-pairing", "date": "2023-08-08", "title": "无锡城乡结对帮扶总结部署会召开",
     "text": "8月8日，无锡召开城乡党组织结对帮扶总结部署会。2019年开始的第四轮结对帮扶中，全市共有860个基层党组织"
             "与120个村党组织结对，落实帮扶资金2.6亿元。会议部署了第五轮结对帮扶工作。"},
    {"doc_id": "suzhou-investment", "date": "2023-03-15", "title": "苏州招商引资工作推进会召开",
     "text": "3月15日，苏州召开招商引资工作推进会。会议提出，苏州招商引资要坚持“产业链招商”，"
             "重点引进生物医药和新能源产业项目，全年力争签约亿元以上项目300个。"},
    {"doc_id": "wuxi-investment", "date": "2023-03-18", "title": "无锡部署招商引资工作",
     "text": "3月18日，无锡召开全市招商引资大会。会议强调，无锡招商引资要突出“以商招商”，"
             "依托在外无锡商会引进总部项目，全年力争新引进外资项目150个。"},
    {"doc_id": "qinghe-arts", "date": "2023-06-21", "title": "青禾县文联召开五届三次执委会议",
     "speaker": "周明远",
     "text": "6月20日，青禾县文联召开五届三次执委会议，县文联主席周明远主持会议并讲话。会议审议了年度工作报告。\n"
             "经过投票，张约翰同志当选为县文联秘书长。会议前一天还举行了五届四次常委会议。"},
]


def write_reports(folder: Path) -> Path:
    path = folder / "reports.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REPORTS), encoding="utf-8")
    return path
