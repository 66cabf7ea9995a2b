"""智能整理: de-duplicating 20,000 feed items (`python -m bench.news_feeds`, part of `make bench`;
issue 18's target ≤ 30 s).

Synthetic Chinese items (a title and a summary of four clauses drawn from a few hundred phrases), a
fifth of them light rewordings of an earlier item (a reposting site's tag, a filler word, one word
changed). Timed: the jieba tokens, the weighted 64-bit SimHash and the banded search for each item's
nearest earlier item within the default threshold — what a fetch does per item, without the database.
Prints the seconds, how many items were grouped as near-duplicates and how many of the planted copies
were found; adds the row to the summary table. No database, no settings needed.
"""

from __future__ import annotations

import os
import random
import time

ITEMS = int(os.environ.get("BENCH_FEED_ITEMS", "20000"))
LIMIT_S = 30.0
SHARE_COPIES = 0.2


def _w(text: str) -> list[str]:
    return text.split()


UNITS = [
    f"{x}学院"
    for x in _w(
        "计算机 外国语 化学 物理 数学 经济 法 管理 医 文 历史 材料 "
        "机械 电气 土木 建筑 艺术 体育 生命科学 环境"
    )
]
WHO = _w("党委 党总支 教工党支部 学生党支部 研究生党支部 离退休党支部 机关党委 团委 工会 组织部 宣传部")
DOING = _w(
    "召开专题会议 开展主题党日活动 组织集中学习 举行入党宣誓仪式 开展志愿服务 召开组织生活会 开展民主评议 "
    "举办专题讲座 开展谈心谈话 组织参观学习 开展结对共建 召开座谈会 举办知识竞赛 开展调研走访 组织专题培训 "
    "举行表彰大会 开展警示教育 举办读书分享会 开展义诊宣讲 召开推进会"
)
ABOUT = _w(
    "党的创新理论 支部标准化建设 三会一课制度 党员发展工作 党费收缴管理 基层组织换届 师德师风建设 "
    "课程思政改革 乡村振兴实践 红色文化传承 校园安全稳定 就业创业指导 科研攻关任务 网络思政工作 "
    "心理健康教育 廉洁文化建设 实验室安全 毕业生离校 新生入学教育 社区志愿服务"
)
RESULT = _w(
    "取得明显成效 受到师生好评 形成长效机制 推动工作落实 凝聚思想共识 提升组织力 激发党员活力 "
    "营造良好氛围 推进深度融合 发挥先锋作用"
)
PLACES = _w("图书馆 报告厅 会议室 革命老区 城东社区 实验室 校史馆 党员活动室 教学楼 体育馆")
FILLERS = ["近日，", "日前，", "本报讯 ", "【转载】", "【学习强国】"]


def _item(rng: random.Random) -> tuple[str, str]:
    unit, who, doing, about = rng.choice(UNITS), rng.choice(WHO), rng.choice(DOING), rng.choice(ABOUT)
    title = f"{unit}{who}{doing}"
    clauses = [
        f"{unit}{who}在{rng.choice(PLACES)}{doing}，围绕{about}进行部署",
        f"与会党员结合{rng.choice(ABOUT)}交流体会，{rng.choice(RESULT)}",
        f"下一步将聚焦{rng.choice(ABOUT)}，{rng.choice(DOING)}，{rng.choice(RESULT)}",
        f"参加人数{rng.randint(20, 300)}人，{rng.choice(RESULT)}",
    ]
    return title, "。".join(clauses) + "。"


def _reword(rng: random.Random, title: str, summary: str) -> tuple[str, str]:
    how = rng.randrange(3)
    if how == 0:
        return rng.choice(FILLERS[3:]) + title, rng.choice(FILLERS[:3]) + summary
    if how == 1:
        return title, summary.replace("，", "，同时", 1)
    return title + "（图）", summary.replace("交流体会", "交流心得", 1)


def items(n: int, seed: int = 18) -> tuple[list[str], list[int]]:
    """The texts, and the indexes of the reworded copies."""
    rng = random.Random(seed)
    texts: list[str] = []
    copies: list[int] = []
    for i in range(n):
        if texts and rng.random() < SHARE_COPIES:
            title, summary = texts[rng.randrange(len(texts))].split("\n", 1)
            title, summary = _reword(rng, title, summary)
            copies.append(i)
        else:
            title, summary = _item(rng)
        texts.append(f"{title}\n{summary}")
    return texts, copies


def run() -> tuple[float, float, int, int, int]:
    from dangjian.news.feeds import dedup
    from dangjian.policy import Policy

    threshold = Policy().news_feed_simhash_distance
    texts, copies = items(ITEMS)
    dedup.tokens("预热")  # jieba loads its dictionary once per process (about a second), not per item
    dedup.weights(["预热"])
    start, cpu = time.perf_counter(), time.process_time()
    fingerprints = [(i, dedup.simhash(text)) for i, text in enumerate(texts)]
    groups = dedup.group(fingerprints, threshold)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    grouped = sum(1 for v in groups.values() if v is not None)
    found = sum(1 for i in copies if groups[i] is not None)
    return seconds, cpu, grouped, len(copies), found


def main() -> None:
    seconds, cpu, grouped, copies, found = run()
    print(
        f"news feeds: {ITEMS} items de-duplicated in {seconds:.1f} s ({cpu:.1f} s of CPU), target ≤ "
        f"{LIMIT_S:.0f} s; {grouped} grouped as near-duplicates, {found} of the {copies} reworded copies"
    )
    from bench import summary

    summary.add_seconds("news", f"de-duplicate {ITEMS} feed items (SimHash, jieba)", seconds, LIMIT_S)


if __name__ == "__main__":  # python -m bench.news_feeds
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    main()
