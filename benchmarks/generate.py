# ruff: noqa: RUF001  (the Chinese text has full-width punctuation on purpose)
"""Write a deterministic synthetic archive (format 1, or 2) of any size, for the benchmarks.

    python benchmarks/generate.py --forums 100 --out benchmarks/data/S     # ~2,900 files
    python benchmarks/generate.py --forums 1000 --out benchmarks/data/M    # ~29,000 files

The same ``--forums`` and ``--seed`` always give byte-identical files. Each forum lasts two
days and has 20 speakers of its own and 8 sessions (two pairs of parallel sessions in
different rooms, with disjoint speakers), 5 talks each with 1-2 speakers; every speaker
is referred to, names are unique after transliteration, ORCIDs carry valid checksums and
forums are a week apart, so that ``forumctl validate --strict`` finds nothing. Files are
written with forumctl's canonical writer (``toml_io.dumps``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from forumctl.archive import Archive
from forumctl.change import create_archive
from forumctl.records import (
    Affiliation,
    Forum,
    Link,
    Manifest,
    Outcome,
    Quote,
    Session,
    Source,
    Speaker,
    Talk,
    Track,
    Translation,
)
from forumctl.slugs import make_slug, name_key
from forumctl.standards import orcid_check_digit
from forumctl.toml_io import dumps

SPEAKERS_PER_FORUM = 20
FIRST_FORUM_START = dt.date(1990, 1, 8)
FORUM_SPACING = dt.timedelta(days=7)

# (hanzi, pinyin) pairs; names are unique by their transliterated, normalized form.
FAMILY_NAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
    ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
    ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"),
    ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"),
    ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("韩", "Han"),
    ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"),
    ("萧", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("袁", "Yuan"), ("潘", "Pan"),
    ("蒋", "Jiang"), ("蔡", "Cai"), ("余", "Yu"), ("杜", "Du"), ("叶", "Ye"),
    ("程", "Cheng"), ("苏", "Su"), ("魏", "Wei"), ("丁", "Ding"), ("任", "Ren"),
    ("沈", "Shen"), ("姚", "Yao"), ("卢", "Lu"), ("崔", "Cui"), ("钟", "Zhong"),
    ("谭", "Tan"), ("范", "Fan"), ("金", "Jin"), ("石", "Shi"), ("廖", "Liao"),
    ("贾", "Jia"), ("夏", "Xia"), ("方", "Fang"), ("白", "Bai"), ("邹", "Zou"),
    ("孟", "Meng"), ("熊", "Xiong"), ("秦", "Qin"), ("邱", "Qiu"), ("尹", "Yin"),
    ("薛", "Xue"), ("段", "Duan"), ("雷", "Lei"), ("侯", "Hou"), ("龙", "Long"),
    ("陶", "Tao"), ("顾", "Gu"), ("毛", "Mao"), ("郝", "Hao"), ("龚", "Gong"),
    ("邵", "Shao"), ("钱", "Qian"), ("戴", "Dai"), ("孔", "Kong"), ("盛", "Sheng"),
]  # fmt: skip
GIVEN_SYLLABLES = [
    ("伟", "wei"), ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("华", "hua"), ("建", "jian"),
    ("国", "guo"), ("文", "wen"), ("志", "zhi"), ("海", "hai"), ("云", "yun"),
    ("红", "hong"), ("晓", "xiao"), ("光", "guang"), ("东", "dong"), ("春", "chun"),
    ("宇", "yu"), ("新", "xin"), ("振", "zhen"), ("世", "shi"), ("浩", "hao"),
    ("开", "kai"), ("忠", "zhong"), ("学", "xue"), ("良", "liang"), ("德", "de"),
    ("庆", "qing"), ("宁", "ning"), ("思", "si"), ("嘉", "jia"), ("鹏", "peng"),
    ("雪", "xue"), ("博", "bo"), ("婷", "ting"), ("慧", "hui"), ("晨", "chen"),
    ("睿", "rui"), ("泽", "ze"), ("航", "hang"), ("辉", "hui"), ("凯", "kai"),
    ("斌", "bin"), ("悦", "yue"), ("璐", "lu"), ("松", "song"), ("峰", "feng"),
]  # fmt: skip
LATIN_GIVEN = [
    "José", "François", "Zoë", "Łukasz", "Søren", "Jürgen", "Ángel", "Inês", "Mārtiņš",
    "Zoltán", "Renée", "Björn", "Élodie", "Çağla", "Anaïs", "Jiří", "Håkon", "Noémie",
    "Iñaki", "Małgorzata", "Dóra", "Gülşen", "Ştefan", "Åsa", "Tomás", "Héloïse", "Răzvan",
    "Maria", "David", "Elena", "Johan", "Clara", "Marco", "Sofia", "Pieter", "Ingrid",
]  # fmt: skip
LATIN_FAMILY = [
    "Müller", "García", "Núñez", "Løvaas", "Dąbrowski", "Černý", "Sørensen", "Álvarez",
    "Öztürk", "Lefèvre", "Šimić", "Kovács", "Gonçalves", "Wójcik", "Håkansson", "Ibáñez",
    "Moreau", "Rossi", "Schröder", "Fernández", "Novák", "Žukauskas", "Ó Briain", "Jørgensen",
    "Pérez", "Blažević", "Szabó", "Lindqvist", "Ferreira", "Dubois", "Nowak", "Eriksson",
    "Van der Berg", "Костин", "Papadopoulos", "Ionescu",
]  # fmt: skip
INITIALS = "ABCDEFGHJKLMNPRSTVW"

CITIES = [
    ("Hangzhou", "Asia/Shanghai"), ("Shanghai", "Asia/Shanghai"), ("Nanjing", "Asia/Shanghai"),
    ("Beijing", "Asia/Shanghai"), ("Hong Kong", "Asia/Hong_Kong"), ("Taipei", "Asia/Taipei"),
    ("Singapore", "Asia/Singapore"), ("Berlin", "Europe/Berlin"), ("Lisboa", "Europe/Lisbon"),
    ("Zürich", "Europe/Zurich"), ("Kraków", "Europe/Warsaw"), ("Montréal", "America/Toronto"),
]  # fmt: skip
VENUES = [
    "Zhejiang Hotel", "International Conference Centre", "West Lake State Guesthouse",
    "University Library Auditorium", "Academy of Social Sciences", "Hôtel de Ville",
]  # fmt: skip
SERIES = [
    ("Zhejiang Provincial Social Science Academic Annual Conference", "浙江省社会科学学术年会"),
    ("Yangtze River Delta Regional Governance Forum", "长三角区域治理论坛"),
    ("Digital Economy Think-Tank Summit", "数字经济智库峰会"),
    ("Forum on Rural Revitalization", "乡村振兴论坛"),
    ("Conférence européenne sur la gouvernance urbaine", None),
    ("Symposium on Ecological Civilization", "生态文明研讨会"),
]  # fmt: skip
TOPICS = [
    ("regional integration", "区域一体化"), ("governance modernization", "治理现代化"),
    ("the digital economy", "数字经济"), ("green development", "绿色发展"),
    ("common prosperity", "共同富裕"), ("urban renewal", "城市更新"),
    ("industrial chains", "产业链"), ("innovation platforms", "创新平台"),
    ("cross-border trade", "跨境贸易"), ("public services", "公共服务"),
    ("rural revitalization", "乡村振兴"), ("cultural heritage", "文化遗产"),
]  # fmt: skip
ORGANIZATIONS = [
    "Zhejiang Provincial Federation of Social Sciences", "Zhejiang University",
    "Shanghai Academy of Social Sciences", "Fudan University", "Nanjing University",
    "Chinese Academy of Social Sciences", "Universidade de Lisboa", "ETH Zürich",
    "Université de Montréal", "Uniwersytet Jagielloński", "Freie Universität Berlin",
    "National University of Singapore", "浙江省社会科学界联合会", "复旦大学",
]  # fmt: skip
ROLES = [
    "professor", "associate professor", "dean of the School of Economics", "director",
    "senior research fellow", "deputy director", "chairman", "研究员", "教授",
]  # fmt: skip
SENTENCES = [
    "Speakers discussed {topic} and its consequences for {other}.",
    "The discussion turned to how {topic} can support {other} in the coming decade.",
    "Several contributions compared local experience of {topic} with practice abroad.",
    "Participants agreed that {topic} needs **stable institutions** and open data.",
    "Case studies from {city} showed what {other} means for small firms and households.",
    "A report on {topic} was presented, with figures from the past five years.",
]  # fmt: skip
CHINESE_SENTENCES = [
    "与会专家围绕{topic}和{other}展开深入讨论。",
    "会议认为，{topic}是推进{other}的重要抓手。",
    "报告介绍了{topic}方面的最新研究成果。",
]  # fmt: skip
QUOTES = [
    "We must give full play to the role of market players.",
    "Integration is not a slogan; it is a thousand small agreements.",
    "要充分发挥重大平台的作用。",
    "Data is only useful when it is shared across regions.",
    "La gouvernance commence par la confiance.",
]  # fmt: skip

# Each slot: (kind, title, day, start, end, room, group). Sessions in the same slot run in
# parallel in different rooms and draw speakers from disjoint halves ("a" and "b").
SCHEDULE = [
    ("opening", "Opening ceremony", 0, (9, 0), (9, 45), "Main Hall", None),
    ("keynote", "Keynote speeches", 0, (10, 0), (12, 0), "Main Hall", None),
    ("parallel", "Parallel session A: {topic}", 0, (14, 0), (17, 30), "Room 201", "a"),
    ("parallel", "Parallel session B: {topic}", 0, (14, 0), (17, 30), "Room 305", "b"),
    ("parallel", "Parallel session C: {topic}", 1, (9, 0), (12, 0), "Room 201", "a"),
    ("parallel", "Parallel session D: {topic}", 1, (9, 0), (12, 0), "Room 305", "b"),
    ("panel", "Panel: {topic}", 1, (14, 0), (16, 0), "Main Hall", None),
    ("closing", "Closing ceremony", 1, (16, 30), (17, 30), "Main Hall", None),
]  # fmt: skip
TALKS_PER_SESSION = 5


def orcid(number: int) -> str:
    """An ORCID iD with the check digit validate computes."""
    digits = f"{number:015d}"
    body = digits + orcid_check_digit(digits)
    return "-".join(body[i : i + 4] for i in range(0, 16, 4))


@dataclass
class Generator:
    rng: random.Random
    used_names: set[str]
    next_orcid: int = 20_000_000  # 0000-0002-0000-000x onwards, like real iDs

    def person_name(self) -> tuple[str, str | None, str]:
        """A name not used before: (name, name in its own script, sort name)."""
        while True:
            if self.rng.random() < 0.7:
                family, family_pinyin = self.rng.choice(FAMILY_NAMES)
                syllables = self.rng.sample(GIVEN_SYLLABLES, self.rng.choice((1, 2)))
                given = "".join(hanzi for hanzi, _ in syllables)
                given_pinyin = "".join(pinyin for _, pinyin in syllables).capitalize()
                name, original = f"{family_pinyin} {given_pinyin}", family + given
                sort_name = name
            else:
                given = self.rng.choice(LATIN_GIVEN)
                initial = self.rng.choice(INITIALS)
                family = self.rng.choice(LATIN_FAMILY)
                name, original = f"{given} {initial}. {family}", None
                sort_name = f"{family}, {given} {initial}."
            keys = {name_key(name)} | ({name_key(original)} if original else set())
            if not keys & self.used_names:
                self.used_names |= keys
                return name, original, sort_name

    def person(self) -> Speaker:
        name, original, sort_name = self.person_name()
        self.next_orcid += self.rng.randint(1, 97)
        organization = self.rng.choice(ORGANIZATIONS)
        since = dt.date(self.rng.randint(1980, 2015), self.rng.randint(1, 12), 1)
        affiliations = [
            Affiliation(organization=organization, role=self.rng.choice(ROLES), since=since)
        ]
        if self.rng.random() < 0.3:
            affiliations.append(
                Affiliation(
                    organization=self.rng.choice(ORGANIZATIONS),
                    role=self.rng.choice(ROLES),
                    until=since - dt.timedelta(days=1),
                )
            )
        links = {"orcid": orcid(self.next_orcid)}
        if self.rng.random() < 0.4:
            links["website"] = f"https://example.org/people/{make_slug(name)}"
        return Speaker(
            name=name,
            name_original=original,
            sort_name=sort_name,
            bio=f"{name} works at {organization} on {self.rng.choice(TOPICS)[0]}. {self.text(1)}",
            links=links,
            affiliations=tuple(affiliations),
        )

    def text(self, sentences: int, city: str = "Hangzhou", chinese: bool = False) -> str:
        out = []
        for _ in range(sentences):
            (topic, topic_zh), (other, other_zh) = self.rng.sample(TOPICS, 2)
            if chinese:
                out.append(
                    self.rng.choice(CHINESE_SENTENCES).format(topic=topic_zh, other=other_zh)
                )
            else:
                out.append(self.rng.choice(SENTENCES).format(topic=topic, other=other, city=city))
        return ("" if chinese else " ").join(out)


def forum_records(
    gen: Generator, index: int
) -> tuple[str, Forum, dict[str, Session], dict[str, Speaker]]:
    """One forum with its sessions and its own speakers, keyed by ID."""
    rng = gen.rng
    series, series_zh = SERIES[index % len(SERIES)]
    edition = index // len(SERIES) + 1
    start = FIRST_FORUM_START + index * FORUM_SPACING
    city, timezone = rng.choice(CITIES)
    topic, topic_zh = rng.choice(TOPICS)
    forum_id = f"{start.year}-{make_slug(series)}-{edition}"
    chinese = series_zh is not None and rng.random() < 0.3
    summary = gen.text(rng.randint(3, 5), city)
    if chinese:
        summary += "\n\n" + gen.text(2, chinese=True)
    forum = Forum(
        title=f"{series} {edition}: {topic.capitalize()}"
        + (f"（{series_zh}·{topic_zh}）" if chinese else ""),
        series=series,
        edition=edition,
        kind=rng.choice(("high-level forum", "annual conference", "symposium")),
        start=start,
        end=start + dt.timedelta(days=1),
        city=city,
        venue=rng.choice(VENUES),
        timezone=timezone,
        organizers=tuple(rng.sample(ORGANIZATIONS, rng.randint(1, 3))),
        tags=tuple(sorted({make_slug(topic), make_slug(rng.choice(TOPICS)[0])})),
        summary=summary,
        outcomes=(
            Outcome(kind="publication", title=f"Research results on {topic}", summary=gen.text(1)),
            Outcome(
                kind=rng.choice(("organization", "declaration", "award", "other")),
                title=f"{city} cooperation on {topic}",
            ),
        ),
        sources=(
            Source(
                title=f"Report on the {series}",
                publisher="Zhejiang Daily",
                date=start + dt.timedelta(days=2),
                authors=tuple(gen.person_name()[0] for _ in range(2)),
                url=f"https://example.org/reports/{forum_id}",
            ),
        ),
    )
    speakers = [gen.person() for _ in range(SPEAKERS_PER_FORUM)]
    speaker_ids = [make_slug(s.name) for s in speakers]
    order = list(range(SPEAKERS_PER_FORUM))
    rng.shuffle(order)
    half = SPEAKERS_PER_FORUM // 2
    groups = {"a": order[:half], "b": order[half:], None: order}
    sessions: dict[str, Session] = {}
    for number, (kind, title, day, begin, end, room, group) in enumerate(SCHEDULE, start=1):
        pool = groups[group]
        # The first slot's parallel sessions give every speaker of their half a talk, so
        # that every speaker is referred to; the other sessions draw freely from their pool.
        covers_all = day == 0 and group is not None
        talks = []
        for t in range(TALKS_PER_SESSION):
            chosen = pool[2 * t : 2 * t + 2] if covers_all else rng.sample(pool, rng.choice((1, 2)))
            ids = tuple(speaker_ids[i] for i in chosen)
            affiliations = {ids[0]: rng.choice(ORGANIZATIONS)} if rng.random() < 0.2 else {}
            talks.append(
                Talk(
                    speakers=ids,
                    title=f"On {rng.choice(TOPICS)[0]}",
                    summary=gen.text(rng.randint(2, 3), city, chinese=chinese and t == 0),
                    quotes=tuple(rng.sample(QUOTES, rng.randint(0, 2))),
                    affiliations=affiliations,
                )
            )
        session_title = title.format(topic=rng.choice(TOPICS)[0])
        session_id = f"{number:02d}-{make_slug(session_title)[:40].strip('-')}"
        sessions[f"{forum_id}/{session_id}"] = Session(
            title=session_title,
            kind=kind,  # type: ignore[arg-type]
            order=number,
            date=start + dt.timedelta(days=day),
            start=dt.time(*begin),
            end=dt.time(*end),
            room=room,
            chairs=(speaker_ids[rng.choice(pool)],),
            summary=gen.text(2, city),
            talks=tuple(talks),
        )
    return forum_id, forum, sessions, dict(zip(speaker_ids, speakers, strict=True))


TRACKS = (Track(id="economy", name="Economy", color="#1f77b4"), Track(id="society", name="Society"))


def in_format_2(
    rng: random.Random,
    forum_id: str,
    forum: Forum,
    sessions: dict[str, Session],
    speakers: dict[str, Speaker],
) -> tuple[Forum, dict[str, Session], dict[str, Speaker]]:
    """The same forum with what format 2 adds, as real programmes hold it: tracks, own
    pages, talk times, recordings with licenses, quote tables, translations, external
    IDs and aliases (and one cancelled talk in ten)."""
    url = f"https://example.org/forums/{forum_id}"
    forum = replace(
        forum,
        language="en",
        url=url,
        tracks=TRACKS,
        sources=tuple(replace(source, id="report") for source in forum.sources),
        translations={"zh": Translation(title=forum.title + "（中文）")},
        ids={"frab": forum_id.replace("-", "_")},
    )
    for session_id, session in sessions.items():
        assert session.date is not None and session.start is not None and session.end
        begin = dt.datetime.combine(session.date, session.start)
        minutes = (dt.datetime.combine(session.date, session.end) - begin).seconds // 60
        step = minutes // len(session.talks)
        talks = tuple(
            replace(
                talk,
                subtitle=f"Talk {n + 1} of {len(session.talks)}",
                start=(begin + dt.timedelta(minutes=n * step)).time(),
                end=(begin + dt.timedelta(minutes=(n + 1) * step)).time(),
                track=rng.choice(TRACKS).id,
                status="cancelled" if rng.random() < 0.1 else None,
                quotes=tuple(
                    Quote(text=quote, language="en", source="report") for quote in talk.quotes
                ),
                links=(Link(kind="slides", url=f"{url}/{session_id}/{n + 1}.pdf"),),
                ids={"pretalx": f"T{rng.randrange(16**6):06X}"},
            )
            for n, talk in enumerate(session.talks)
        )
        sessions[session_id] = replace(
            session,
            abstract=f"The {session.title.lower()} of the forum.",
            track=rng.choice(TRACKS).id,
            url=f"{url}/{session_id.partition('/')[2]}",
            links=(Link(kind="video", url=f"{url}/{session_id}.mp4", license="CC-BY-4.0"),),
            talks=talks,
        )
    for speaker_id, speaker in speakers.items():
        speakers[speaker_id] = replace(
            speaker, aliases=(speaker.name.upper(),), ids={"pretalx": speaker_id[:6].upper()}
        )
    return forum, sessions, speakers


def generate(out: Path, forums: int, seed: int, version: int = 1) -> int:
    """Write the archive (in format ``version``); returns the number of files written."""
    gen = Generator(random.Random(seed), set())
    create_archive(
        out,
        Manifest(
            format=version,
            name=f"Synthetic archive of {forums} forums",
            description="Generated by benchmarks/generate.py for the benchmarks.",
            timezone="Asia/Shanghai",
            language="en",
        ),
    )
    archive = Archive.open(out)
    written = 1

    def write(kind: str, record_id: str, record: object) -> None:
        nonlocal written
        rel = archive.rel_path(kind, record_id)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # Plain writes (not the change layer's journal and sync): the same canonical text, much
        # faster (docs/performance.md).
        path.write_text(dumps(record, archive.schema_ref(rel, kind)), encoding="utf-8")
        written += 1

    for index in range(forums):
        forum_id, forum, sessions, speakers = forum_records(gen, index)
        if version == 2:
            forum, sessions, speakers = in_format_2(gen.rng, forum_id, forum, sessions, speakers)
        write("forum", forum_id, forum)
        for session_id, session in sessions.items():
            write("session", session_id, session)
        for speaker_id, speaker in speakers.items():
            write("speaker", speaker_id, speaker)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forums", type=int, required=True, help="number of forums")
    parser.add_argument("--out", type=Path, required=True, help="directory to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out")
    parser.add_argument(
        "--archive-format", type=int, choices=(1, 2), default=1,
        help="archive format (2: also tracks, talk times, links, quote tables, translations)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.out.exists():
        if not args.force:
            sys.stderr.write(f"generate: {args.out} exists (use --force to replace it)\n")
            return 2
        shutil.rmtree(args.out)
    began = time.perf_counter()
    count = generate(args.out, args.forums, args.seed, args.archive_format)
    sys.stderr.write(
        f"generate: {count} files in {args.out} ({time.perf_counter() - began:.1f} s)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
