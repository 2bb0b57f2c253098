"""Small speeches written for the tests (never copied from the shared corpus), and helpers to ingest them."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import IngestOptions, Ingestor, IngestReport

# A made-up county speech: title, speaker and date lines, an editor's note, outline markers 一、 (一) 一是.
SPEECH_QINGHE = """在青禾县2024年经济工作会议上的讲话
县委书记 林海川
2024年2月18日
【编者按】本文根据会议录音整理，略有删节，供各单位学习参考。
同志们：
今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。刚才，几位同志作了很好的发言，我都同意。
一、坚定信心，全面完成去年目标任务
去年全县地区生产总值达到98.99亿元，同比增长6.5%。全年新增市场主体3200户，完成固定资产投资45亿元。
我们坚持项目为王，全年引进亿元以上产业项目12个，落地率达到80%以上。
二、突出重点，扎实推进今年各项工作
（一）全力抓好招商引资
今年要确保引进亿元以上项目40个，力争落地率在50%以上。各乡镇要把招商引资作为一号工程，主要领导亲自抓。
一是要盯紧长三角和珠三角，开展小分队精准招商。二是要完善项目服务机制，做到一个项目一个专班。
三是要强化考核，每季度通报一次进展情况。
（二）持续化解债务风险
要严格控制新增隐性债务，坚决守住不发生系统性风险的底线。今年计划压减存量债务3亿元，确保按时还本付息。
（三）加快建设小微企业园区
力争今年新增小微企业园区5家，入园企业超过200家。要把园区建设和产业升级结合起来，做到建一个、成一个。
三、转变作风，确保各项任务落到实处
各级干部要敢于担当、善于作为，把心思和精力用在抓落实上。对工作不力的，要严肃追责问责。
同志们，新的一年任务艰巨，让我们团结一心，为建设美丽青禾而努力奋斗！
"""

# Another speech, other place, speaker and date: for filters.
SPEECH_LANSHAN = """在岚山市乡村振兴推进会上的讲话
市长 周明远
2023年9月5日
同志们：
这次会议的主要任务是推动乡村振兴各项工作落地见效。下面，我讲几点意见。
一、抓好粮食生产
今年全市粮食播种面积要稳定在120万亩以上，确保粮食总产量达到50万吨。要落实耕地保护责任，坚决遏制耕地非农化。
二、发展特色产业
要培育茶叶、蜜柚两大特色产业，建设现代农业产业园3个，带动农民人均增收2000元。
三、改善人居环境
今年要完成农村改厕1.5万户，行政村生活垃圾分类覆盖率达到90%。
"""

# A short plain text speech with a word jieba is unlikely to keep whole, for the bigram channel.
SPEECH_BIGRAM = """在石埠镇工作座谈会上的讲话
镇长 郑小禾
2022年6月1日
同志们：
石埠镇要大力发展鳜鲈混养产业，今年新建标准化养殖池塘600亩。要让群众的钱袋子鼓起来。
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def ingest(index: Path, *paths: Path, **options) -> IngestReport:
    return Ingestor(index, IngestOptions(**options)).run(list(paths))
