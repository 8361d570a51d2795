"""Deterministic report-like Chinese documents for the search benchmark and the index tests.

``generate_documents(n, seed=…)`` yields the plain dicts ``index`` takes (report_id, title, region,
region_path, region_code, agency, year, format, published, url, sections, text). The text is drawn
from a vocabulary of phrases real annual disclosure reports use, mixed with numbers, place names and
a long tail of rarer terms, so bigram statistics resemble a real archive. Same n and seed, same
documents, byte for byte. ``cached_corpus`` keeps a JSON-lines copy under ``bench/out/``.
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterator

__all__ = ["PHRASES", "HEADINGS", "PROVINCES", "generate_documents", "cached_corpus", "read_corpus", "full_text"]

PHRASES = (
    "认真贯彻落实中华人民共和国政府信息公开条例", "坚持以公开为常态不公开为例外", "全面推进决策执行管理服务结果公开",
    "进一步加大政务公开力度", "充分保障公众知情权参与权表达权和监督权", "不断增强政府公信力执行力",
    "主动公开政府信息", "依申请公开政府信息", "政府信息公开工作年度报告", "政府门户网站信息公开专栏",
    "严格审查公文公开属性", "规范性文件备案审查", "重大行政决策预公开", "建议提案办理结果公开",
    "财政预决算和三公经费公开", "土地征收补偿安置信息", "棚户区改造和保障性住房", "食品药品安全监管信息",
    "环境保护和生态建设信息", "安全生产监督检查情况", "扶贫脱贫攻坚信息", "教育卫生社会保障",
    "双随机一公开监管", "政务服务事项清单", "权责清单和负面清单", "优化营商环境", "最多跑一次改革",
    "互联网加政务服务", "政务新媒体矩阵", "政务微博和政务微信", "新闻发布会和政策解读",
    "回应社会关切", "舆情监测和处置", "行政复议和行政诉讼", "收到政府信息公开申请",
    "予以公开和部分公开", "不予公开和无法提供", "申请人逾期未补正", "本机关不掌握相关政府信息",
    "信息公开申请办理流程", "答复文书格式规范", "网上申请和当面申请", "信函申请和传真申请",
    "未收取任何费用", "工作人员业务培训", "考核评议和责任追究", "社会评议和监督",
    "政府信息公开工作领导小组", "专职人员和兼职人员", "公开目录和公开指南", "档案馆和图书馆查阅点",
    "政府公报发布", "统计数据和统计公报", "国民经济和社会发展规划", "重点项目建设进展",
    "公共资源配置信息", "国有土地使用权出让", "政府采购和招标投标", "行政许可和行政处罚",
    "行政强制和行政检查", "财政资金使用情况", "审计发现问题整改", "人事任免信息", "公务员招录",
    "突发事件应对", "防汛防台和抗旱", "新冠肺炎疫情防控", "乡村振兴战略", "城乡规划和建设",
    "交通运输和出行信息", "就业创业和技能培训", "养老服务和医疗保障", "住房公积金管理",
    "基层政务公开标准化规范化", "村务公开和居务公开", "公开内容不够全面", "公开形式比较单一",
    "政策解读质量有待提高", "依申请公开答复不够规范", "工作人员业务水平有待提升",
    "下一步我们将继续深化政务公开", "加强政府信息公开平台建设", "完善政府信息公开制度",
    "提高依申请公开办理质量", "加大培训力度", "强化监督考核",
)
HEADINGS = (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
)
PROVINCES = (
    ("浙江省", "330000", ("杭州市", "宁波市", "温州市"), ("余杭区", "西湖区", "鄞州区", "瑞安市")),
    ("江苏省", "320000", ("南京市", "苏州市", "无锡市"), ("玄武区", "吴中区", "江阴市", "姑苏区")),
    ("广东省", "440000", ("广州市", "深圳市", "佛山市"), ("天河区", "南山区", "顺德区", "越秀区")),
    ("海南省", "460000", ("海口市", "三亚市", "儋州市"), ("海棠区", "龙华区", "吉阳区", "美兰区")),
    ("四川省", "510000", ("成都市", "绵阳市", "宜宾市"), ("锦江区", "武侯区", "涪城区", "翠屏区")),
)
AGENCIES = (None, None, None, "教育局", "财政局", "卫生健康委员会", "人民政府办公室", "自然资源和规划局")
FORMATS = {range(2008, 2019): "legacy", range(2019, 2021): "gb2019", range(2021, 2031): "gb2021"}
PUNCT = "，，，。；、："
# the long tail: rarer two- and three-character terms made of common characters
_TAIL_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _tail_term(rng: random.Random) -> str:
    return "".join(rng.choice(_TAIL_CHARS) for _ in range(rng.choice((2, 2, 3))))


def _paragraph(rng: random.Random, place: str, year: int) -> str:
    parts = []
    for _ in range(rng.randint(3, 8)):
        kind = rng.random()
        if kind < 0.55:
            parts.append(rng.choice(PHRASES))
        elif kind < 0.75:
            parts.append(f"{year}年{place}共{rng.choice(('收到申请', '主动公开信息', '办理答复', '召开发布会'))}{rng.randint(1, 9999)}件")
        else:
            parts.append(_tail_term(rng) + rng.choice(PHRASES)[: rng.randint(2, 6)] + _tail_term(rng))
        parts.append(rng.choice(PUNCT))
    return "".join(parts[:-1]) + "。"


def _document(report_id: int, rng: random.Random, target_chars: int) -> dict:
    province, code, cities, districts = rng.choice(PROVINCES)
    city, district = rng.choice(cities), rng.choice(districts)
    year = rng.randint(2009, 2023)
    agency = rng.choice(AGENCIES)
    region_path = [province, province + city, province + city + district]
    publisher = district + (agency or "人民政府")
    title = f"{city}{publisher}{year}年度政府信息公开工作年度报告"
    sections, size = [], 0
    per_section = max(200, target_chars // len(HEADINGS))
    for heading in HEADINGS:
        paras = []
        while sum(map(len, paras)) < per_section:
            paras.append(_paragraph(rng, district, year))
        sections.append({"heading": heading, "text": "\n".join(paras)})
        size += per_section
    text = full_text(title, sections)
    fmt = next(f for r, f in FORMATS.items() if year in r)
    return {
        "report_id": report_id, "title": title, "region": region_path[-1], "region_path": region_path,
        "region_code": code[:2] + f"{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}", "agency": agency and district + agency,
        "year": year, "format": fmt, "published": f"{year + 1}-03-{rng.randint(1, 31):02d}",
        "url": f"http://www.example.gov.cn/xxgk/{year}/{report_id}.html", "sections": sections, "text": text,
    }


def full_text(title: str, sections: list[dict]) -> str:
    return title + "\n" + "\n".join(s["heading"] + "\n" + s["text"] for s in sections)


def generate_documents(n: int, *, seed: int = 6, min_chars: int = 1700, max_chars: int = 10000) -> Iterator[dict]:
    """n documents of min_chars..max_chars characters (≈5–30 KB of UTF-8), deterministic in (n, seed)."""
    for i in range(1, n + 1):
        rng = random.Random(seed * 1_000_003 + i)
        yield _document(i, rng, rng.randint(min_chars, max_chars))


def read_corpus(path: Path) -> Iterator[dict]:
    """The documents of a cached corpus, one at a time (the full text is rebuilt from the sections)."""
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if "text" not in doc:
                doc["text"] = full_text(doc["title"], doc["sections"])
            yield doc


def cached_corpus(n: int, out_dir: Path, *, seed: int = 6) -> Path:
    """Write (once) and return bench/out/corpus-<n>-<seed>.jsonl (without the full text, which
    repeats the sections: read it back with ``read_corpus``)."""
    path = Path(out_dir) / f"corpus-{n}-{seed}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for doc in generate_documents(n, seed=seed):
                doc.pop("text")
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path
