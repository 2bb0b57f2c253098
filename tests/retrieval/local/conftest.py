"""Made-up documents in bulk, for the segment tests: a few hundred short jsonl records from a small vocabulary."""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = ("招商 引资 项目 落地 债务 风险 粮食 产量 园区 企业 乡村 振兴 道路 桥梁 学校 医院 就业 收入 "
         "生态 环境 旅游 文化 科技 创新 农业 工业 投资 消费 交通 水利 住房 养老 教育 卫生 安全 改革").split()
PLACES = ("青禾县", "岚山市", "石埠镇", "云溪区")


def records(n: int, seed: int = 0, prefix: str = "d") -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = ["".join(rng.choices(WORDS, k=rng.randint(4, 12))) + "。" for _ in range(rng.randint(2, 14))]
        out.append({"doc_id": f"{prefix}{i:04d}", "title": f"{rng.choice(PLACES)}工作会议讲话{i}",
                    "date": f"202{rng.randint(0, 4)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "text": "\n".join(sentences)})
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
