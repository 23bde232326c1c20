"""Chinese word segmentation for search.

The database search backends (SQLite FTS5, PostgreSQL) see a run of Chinese characters as one token, so
西格玛 would not find 六西格玛管理. Both the indexed text and the query are cut by jieba's search mode, which
also emits the shorter words inside long ones (六西格玛 → 西格玛, 六西格玛), and joined with spaces.
"""

import logging
import re
from functools import cache, lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

# Quality-management words jieba's general dictionary lacks: without them a short query is cut into single
# characters (黑带 → 黑 / 带) while the same word inside a sentence is kept whole, and the two never meet.
# Adding a word changes how text is cut: run `manage.py update_index` after changing this list.
DOMAIN_WORDS = [
    "首席质量官", "质量官", "黑带", "绿带", "黄带", "六西格玛", "精益生产", "防错", "要因", "末端因素", "过程能力",
    "卓越绩效", "质量改进", "QC小组", "现场评审", "发表评审", "山西精品", "备案",
]  # fmt: skip


@cache
def dictionary():
    """jieba with the domain words, loaded on first use: adding a word loads the whole dictionary (about
    0.4 s), which every process would otherwise pay at start-up, searching or not."""
    for word in DOMAIN_WORDS:
        jieba.add_word(word)
    return jieba


# Runs of CJK ideographs; everything else (Latin words, numbers) is left to the backend's own tokenizer.
HAN = re.compile(r"[\u3400-\u9fff]+")


def segment(text):
    """The text with every run of Chinese cut into words (search mode), separated by spaces."""
    if not text:
        return ""
    return HAN.sub(lambda run: cut_run(run.group()), text)


@lru_cache(maxsize=8192)
def cut_run(run):
    """One run of Chinese cut into words. Cached: a page is indexed once per backend on every save, and the
    same sentences come back on each revision, so most runs are cut once per process."""
    return " " + " ".join(dictionary().cut_for_search(run)) + " "


def segment_query(query):
    """A user's query cut the same way, so its words meet the indexed words."""
    return " ".join(segment(query).split())
