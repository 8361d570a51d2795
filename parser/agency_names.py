"""DATA for ``parser.agencies``: how agencies shorten their names, and which bodies belong to a
government by name (…人民政府办公厅). Add a variant here, never in code.

Each expansion is (short form as a regular expression, full form) and applies to the part of a
name after its place ("广州市国资委" -> "国资委"), in one left-to-right pass, earlier entries first
(so a replaced part is never read again). Expansions are the official full forms these bodies use
across provinces; a short form that is also some places' real name ("发展改革局", "交通局",
"高新区") is left out. "政府" is 人民政府 except in a name of its own (政府采购中心).
"""
from __future__ import annotations

__all__ = ["EXPANSIONS", "GOVERNMENT_BODIES", "NAME_NOISE", "CENTRAL_PREFIX", "GENERAL_OFFICES"]

# short or colloquial form -> the full official form
EXPANSIONS: tuple[tuple[str, str], ...] = (
    ("(?<!人民)政府国资委", "人民政府国有资产监督管理委员会"),
    ("国资委", "国有资产监督管理委员会"),
    ("发展和改革委", "发展和改革委员会"),
    ("发展改革委", "发展和改革委员会"),
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("经信委", "经济和信息化委员会"),
    ("经信局", "经济和信息化局"),
    ("经信厅", "经济和信息化厅"),
    ("工信厅", "工业和信息化厅"),
    ("工信局", "工业和信息化局"),
    ("人社厅", "人力资源和社会保障厅"),
    ("人社局", "人力资源和社会保障局"),
    ("住建厅", "住房和城乡建设厅"),
    ("住建局", "住房和城乡建设局"),
    ("住建委", "住房和城乡建设委员会"),
    ("卫健委", "卫生健康委员会"),
    ("卫计委", "卫生和计划生育委员会"),
    ("市监局", "市场监督管理局"),
    ("民宗委", "民族宗教事务委员会"),
    ("(?<!人)民委", "民族事务委员会"),
    ("文旅厅", "文化和旅游厅"),
    ("文旅局", "文化和旅游局"),
    ("文广新局", "文化广电新闻出版局"),
    ("文广新厅", "文化广电新闻出版厅"),
    ("教体局", "教育和体育局"),
    ("科技厅", "科学技术厅"),
    ("科技局", "科学技术局"),
    ("城管局", "城市管理局"),
    ("城管委", "城市管理委员会"),
    ("管委会", "管理委员会"),
    ("编办(?!公)", "机构编制委员会办公室"),
    ("网信办(?!公)", "网络安全和信息化委员会办公室"),
    ("(?<!对)外办(?!公)", "外事办公室"),
    ("侨办(?!公)", "侨务办公室"),
    ("台办(?!公)", "台湾事务办公室"),
    ("法制办(?!公)", "法制办公室"),
    ("信访办(?!公)", "信访办公室"),
    ("应急局", "应急管理局"),
    ("医保局", "医疗保障局"),
    ("退役军人局", "退役军人事务局"),
    ("机关事务局", "机关事务管理局"),
    ("(?<!人民)政府办公厅", "人民政府办公厅"),
    ("(?<!人民)政府办公室", "人民政府办公室"),
    ("(?<!人民)政府办(?!公)", "人民政府办公室"),
    ("(?<![政])府办(?!公)", "人民政府办公室"),
    ("(?<!人民)政府(?!采购|投资|信息|网|门户|和|与|性)", "人民政府"),
)

# bodies named "<place>人民政府<body>": a place written straight before them lacks 人民政府
GOVERNMENT_BODIES: tuple[str, ...] = (
    "国有资产监督管理委员会", "办公厅", "办公室", "研究室", "参事室", "发展研究中心", "外事办公室", "侨务办公室",
    "法制办公室", "台湾事务办公室", "金融工作办公室", "地方志办公室",
)

# a government's own offices: when one of them compiles the report, the report is the government's
GENERAL_OFFICES: tuple[str, ...] = ("人民政府办公厅", "人民政府办公室", "政府办公厅", "政府办公室", "政府办", "党政办公室",
                                    "党政办", "党政综合办公室", "综合办公室", "办公室", "办公厅")

# what sticks to a written name and is not part of it (a year, a system's or a column's name)
NAME_NOISE: tuple[str, ...] = (
    r"(?:19|20)\d{2}\s*年?度?$",
    r"(?:政府)?信息公开(?:管理)?(?:系统|平台|专栏|网)?$",
    r"(?:管理|办公)?系统$",
    r"门户网站?$",
)

# a central body written with the state's name ("中华人民共和国教育部"): the name without it
CENTRAL_PREFIX = "中华人民共和国"
