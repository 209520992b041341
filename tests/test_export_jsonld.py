"""schema.org JSON-LD of forum and speaker pages, read back by a JSON-LD processor (pyld)
and checked against schema.org's vocabulary (tests/data/schemaorg, see its SOURCE).

pyld expands each document with the stored schema.org context (its document loader
refuses every other URL: nothing is fetched), so every term is resolved as a consumer
resolves it; then every node's types and every property, its domain and its values'
types are looked up in the stored vocabulary (a node reference by the node it names).

A page states each node once and refers to it by ``@id`` after: its RDF graph is
compared with the graph of the nested form forumctl wrote before (tests/data/jsonld-nested,
see its SOURCE.md), as canonical N-Quads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from pyld import jsonld as pyld

from forumctl.archive import Archive
from forumctl.export.jsonld import JsonLd, element, encoded, forum_jsonld, speaker_jsonld
from forumctl.export.model import ResolvedArchive, resolve

DATA = Path(__file__).parent / "data"
SCHEMA_ORG = DATA / "schemaorg"
CONTEXT = json.loads((SCHEMA_ORG / "context.jsonld").read_text(encoding="utf-8"))
VOCABULARY = json.loads((SCHEMA_ORG / "vocabulary.json").read_text(encoding="utf-8"))
S = "http://schema.org/"  # the vocabulary's IRIs, as schema.org's context writes them


def _load(url: str, options: object = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the document asked for {url}: nothing may be fetched")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": CONTEXT}  # fmt: skip


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = pyld.expand(document, {"documentLoader": _load})
    return expanded


def _superclasses(name: str) -> set[str]:
    found, todo = set(), [name]
    graph = {**VOCABULARY["classes"], **VOCABULARY["data_types"]}
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo += graph.get(current, [])  # an unknown type is reported apart
    return found


def _members() -> dict[str, str]:
    """Each enumeration member's IRI (either scheme) to its enumeration."""
    return {
        f"{scheme}://schema.org/{member}": enumeration
        for enumeration, members in VOCABULARY["enumerations"].items()
        for member in members
        for scheme in ("http", "https")
    }


def _literal_types(value: dict[str, Any], where: str, problems: list[str]) -> set[str]:
    text = value["@value"]
    if value.get("@type") == S + "Date":  # startDate, endDate: a Date or a DateTime
        try:
            if "T" in text:
                dt.datetime.fromisoformat(text)
                return {"DateTime"}
            dt.date.fromisoformat(text)
            return {"Date"}
        except ValueError:
            problems.append(f"{where}: {text!r} is no ISO 8601 date or date and time")
            return set()
    if "@type" in value:
        problems.append(f"{where}: literal of unknown type {value['@type']}")
        return set()
    member = _members().get(text)
    return {"Text"} if member is None else {"Text", member}


def _stated_types(
    nodes: list[Any], found: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """The types of every node the expanded document states, by its @id."""
    found = {} if found is None else found
    for node in nodes:
        if "@value" in node:
            continue
        if "@id" in node and "@type" in node:
            found[node["@id"]] = node["@type"]
        for key, values in node.items():
            if not key.startswith("@"):
                _stated_types(values, found)
    return found


def shape_problems(
    nodes: list[dict[str, Any]], path: str = "$", stated: dict[str, list[str]] | None = None
) -> list[str]:
    """What of the expanded nodes schema.org does not define: unknown types and
    properties, a property on a type outside its domain, a value outside its range (a
    node reference's type is the type of the node the document states under its @id)."""
    stated = _stated_types(nodes) if stated is None else stated
    problems: list[str] = []
    for index, node in enumerate(nodes):
        where = f"{path}[{index}]"
        names = []
        for iri in node.get("@type", []):
            name = iri.removeprefix(S)
            if name not in VOCABULARY["classes"]:
                problems.append(f"{where}: unknown type {iri}")
            else:
                names.append(name)
        if not node.get("@type"):
            problems.append(f"{where}: no @type")
        kinds = set().union(*map(_superclasses, names))
        for key, values in node.items():
            if key in ("@id", "@type"):
                continue
            spec = VOCABULARY["properties"].get(key.removeprefix(S))
            if spec is None:
                problems.append(f"{where}: unknown property {key}")
                continue
            prop = key.removeprefix(S)
            if not kinds & set(spec["domainIncludes"]):
                problems.append(f"{where}: {prop} is not a property of {', '.join(names)}")
            for number, value in enumerate(values):
                at = f"{where}.{prop}[{number}]"
                if "@value" in value:
                    types = _literal_types(value, at, problems)
                elif set(value) == {"@id"} and value["@id"] not in stated:
                    types = {"URL"}  # an address: url, sameAs
                else:
                    if set(value) != {"@id"}:  # a node, not a reference to one stated
                        problems += shape_problems([value], f"{where}.{prop}", stated)
                    kinds_of = stated[value["@id"]] if set(value) == {"@id"} else value["@type"]
                    types = set().union(*(_superclasses(t.removeprefix(S)) for t in kinds_of))
                if types and not set().union(*map(_superclasses, types)) & set(
                    spec["rangeIncludes"]
                ):
                    problems.append(f"{at}: {sorted(types)} is not in the range of {prop}")
    return problems


def embedded(document: Any) -> Any:
    """The compact document with each node reference replaced by the node the page states
    under its @id: the nested tree a reader of the form before had (the same graph)."""
    stated: dict[str, Any] = {}

    def collect(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            if "@id" in node and len(node) > 1:
                stated[node["@id"]] = node
            for value in node.values():
                collect(value)

    def embed(node: Any) -> Any:
        if isinstance(node, list):
            return [embed(item) for item in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"@id"} and node["@id"] in stated:
            node = stated[node["@id"]]
        return {key: embed(value) for key, value in node.items()}

    collect(document)
    return embed(document)


def _values(node: dict[str, Any], prop: str) -> list[Any]:
    """The values of a property of an expanded node, as plain values or nodes."""
    return [value.get("@value", value.get("@id")) if "@type" not in value or "@value" in value
            else value for value in node.get(S + prop, [])]  # fmt: skip


def _one(node: dict[str, Any], prop: str) -> Any:
    (value,) = _values(node, prop)
    return value


@pytest.fixture
def sample() -> ResolvedArchive:
    return resolve(Archive.open(Path(__file__).parent.parent / "archive"))


@pytest.fixture
def format_2(tmp_path: Path) -> ResolvedArchive:
    return resolve(Archive.open(shutil.copytree(DATA / "format-2", tmp_path / "archive")))


def test_the_sample_forum_page_is_an_event_of_sessions_talks_and_people(
    sample: ResolvedArchive,
) -> None:
    (forum,) = sample.forums
    (event,) = expand(forum_jsonld(sample, forum))
    assert shape_problems([event]) == []
    assert event["@type"] == [S + "Event"]
    assert _one(event, "name") == (
        "Yangtze River Delta Integration and Regional Governance Modernization"
    )
    assert event[S + "startDate"] == [{"@type": S + "Date", "@value": "2020-12-12"}]
    assert event[S + "endDate"] == [{"@type": S + "Date", "@value": "2020-12-12"}]
    assert _one(event, "inLanguage") == "en"
    place = _one(event, "location")
    assert (_one(place, "name"), _one(_one(place, "address"), "addressLocality")) == (
        "Hangzhou",
        "Hangzhou",
    )
    sessions = _values(event, "subEvent")
    assert [_one(s, "name") for s in sessions] == [
        "Speeches",
        "Joint development of the Yangtze River Delta Pilot Free Trade Zone",
        "The integration of localities into the Yangtze River Delta integration path and mechanism",
        "Innovation and industrial development in the Yangtze River Delta integration process",
        "Governance modernization in the Yangtze River Delta integration",
    ]
    talks = _values(sessions[0], "subEvent")
    performers = [_one(talk, "performer") for talk in talks]
    assert [_one(p, "name") for p in performers] == [
        "Sheng Shihao",
        "Yang Kaizhong",
        "Zhang Xueliang",
    ]
    assert [_one(o, "name") for o in _values(performers[2], "affiliation")] == [
        "School of Urban and Regional Sciences, Shanghai University of Finance and Economics"
    ]
    assert all(p["@id"].startswith("urn:uuid:") for p in performers)


def _by_name(nodes: list[Any]) -> dict[str, dict[str, Any]]:
    return {_one(node, "name"): node for node in nodes}


def test_times_carry_the_forums_offset_and_status_is_an_event_status(
    format_2: ResolvedArchive,
) -> None:
    (forum,) = format_2.forums
    document = forum_jsonld(format_2, forum)
    assert shape_problems(expand(document)) == []
    (event,) = expand(embedded(document))
    assert event["@id"] == "urn:uuid:3f2b9c1e-8d7a-4b6c-9e5f-1a2b3c4d5e6f"  # its uid
    assert (_one(event, "url"), _one(event, "sameAs")) == (
        "https://example.org/2024",
        "https://doi.org/10.5555/forum.2024",
    )
    assert [_one(o, "name") for o in _values(event, "organizer")] == ["Example Society"]
    assert _values(event, "keywords") == ["programmes"]
    sessions = _by_name(_values(event, "subEvent"))
    assert list(sessions) == ["Opening", "Lunch", "Forum party", "Panel on data"]
    opening = sessions["Opening"]
    assert (_one(opening, "startDate"), _one(opening, "endDate")) == (
        "2024-06-10T09:00:00+02:00",
        "2024-06-10T10:00:00+02:00",
    )
    room = _one(opening, "location")
    assert (_one(room, "name"), _one(_one(room, "containedInPlace"), "name")) == (
        "Hall A",
        "Haus der Zukunft",
    )
    assert _one(opening, "description") == "Welcome and a keynote."  # the abstract first
    assert [_one(p, "name") for p in _values(opening, "contributor")] == ["Bo Li"]
    assert _one(_one(opening, "contributor"), "alternateName") == "李博"
    talks = _by_name(_values(opening, "subEvent"))
    keynote = talks["Programmes as data"]
    assert (_one(keynote, "startDate"), _one(keynote, "endDate")) == (
        "2024-06-10T09:05:00+02:00",
        "2024-06-10T09:40:00+02:00",
    )
    ada = _one(keynote, "performer")
    assert _values(ada, "sameAs") == ["https://orcid.org/0000-0002-1825-0097",
                                      "https://example.org/ada"]  # fmt: skip
    # Ada is one node (one @id) on the page: with the affiliation held for this talk (its
    # own affiliations entry) and the one held when she chairs the panel; the nested form
    # put one in each copy, which in the graph was the same
    assert [_one(o, "name") for o in _values(ada, "affiliation")] == [
        "Analytical Society, as printed",
        "Analytical Society",
    ]
    assert S + "eventStatus" not in keynote
    assert _one(talks["A withdrawn talk"], "eventStatus") == "https://schema.org/EventCancelled"
    assert _one(sessions["Panel on data"], "eventStatus") == "https://schema.org/EventCancelled"
    party = sessions["Forum party"]
    assert _one(party, "eventStatus") == "https://schema.org/EventPostponed"
    assert (_one(party, "startDate"), _one(party, "endDate")) == (
        "2024-06-10T22:00:00+02:00",
        "2024-06-11T01:00:00+02:00",  # past midnight, on its end_date
    )
    # a talk without times of its own takes its session's
    (views,) = _values(sessions["Panel on data"], "subEvent")
    assert _one(views, "startDate") == "2024-06-11T09:00:00+02:00"
    assert [_one(p, "name") for p in _values(views, "performer")] == ["Bo Li", "Cy Young"]


def test_a_speaker_page_is_a_person_who_performed_in_each_session_and_talk(
    format_2: ResolvedArchive,
) -> None:
    entry = next(e for e in format_2.speakers if e.id == "bo")
    document = speaker_jsonld(format_2, entry)
    assert shape_problems(expand(document)) == []
    (person,) = expand(embedded(document))
    assert person["@type"] == [S + "Person"]
    assert (_one(person, "name"), _one(person, "alternateName")) == ("Bo Li", "李博")
    events = _values(person, "performerIn")
    assert [_one(e, "name") for e in events] == ["Opening", "A withdrawn talk", "Views"]
    chaired, withdrawn, views = events
    forum = _one(chaired, "superEvent")  # a chaired session is in its forum
    assert (forum["@id"], _one(forum, "name")) == (
        "urn:uuid:3f2b9c1e-8d7a-4b6c-9e5f-1a2b3c4d5e6f",
        "Programmes Forum 2024",
    )
    assert _one(withdrawn, "eventStatus") == "https://schema.org/EventCancelled"
    session = _one(withdrawn, "superEvent")  # a talk is in its session, in its forum
    assert (session["@id"], _one(session, "name")) == (
        "urn:uuid:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "Opening",
    )
    assert _one(session, "superEvent")["@id"] == forum["@id"]
    assert _one(_one(views, "superEvent"), "eventStatus") == "https://schema.org/EventCancelled"


def test_the_same_record_has_the_same_id_on_every_page(format_2: ResolvedArchive) -> None:
    (forum,) = format_2.forums
    (event,) = expand(forum_jsonld(format_2, forum))
    opening = _by_name(_values(event, "subEvent"))["Opening"]
    keynote = _by_name(_values(opening, "subEvent"))["Programmes as data"]
    entry = next(e for e in format_2.speakers if e.id == "ada")
    (person,) = expand(speaker_jsonld(format_2, entry))
    assert person["@id"] == _one(keynote, "performer")["@id"]
    talk, chaired = _values(person, "performerIn")
    assert talk["@id"] == keynote["@id"]
    assert chaired["@id"] == _by_name(_values(event, "subEvent"))["Panel on data"]["@id"]


def test_the_check_finds_what_schema_org_does_not_define() -> None:
    """The shape check itself: each kind of mistake is found."""
    document = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Ada",
        "startDate": "12 June",  # a Person has no startDate, and this is no date
        "performerIn": [
            {"@type": "Person", "@id": "urn:uuid:bo", "name": "Bo"},  # not an Event
            {"@id": "urn:uuid:bo"},  # a reference to it: not an Event either
        ],
        "subEvent": [{"@type": "Conference"}],  # unknown type, and not on a Person
    }
    assert shape_problems(expand(document)) == [
        "$[0].performerIn[0]: ['Person', 'Thing'] is not in the range of performerIn",
        "$[0].performerIn[1]: ['Person', 'Thing'] is not in the range of performerIn",
        "$[0]: startDate is not a property of Person",
        "$[0].startDate[0]: '12 June' is no ISO 8601 date or date and time",
        "$[0]: subEvent is not a property of Person",
        "$[0].subEvent[0]: unknown type http://schema.org/Conference",
        "$[0].subEvent[0]: ['Conference'] is not in the range of subEvent",
    ]


def test_nothing_is_fetched() -> None:
    with pytest.raises(pyld.JsonLdError):
        expand({"@context": "https://example.org/context", "@type": "Event"})


def test_the_script_element_cannot_be_closed_by_record_text() -> None:
    data = {"@context": "https://schema.org", "@type": "Event",
            "name": "</script><script>alert(1)</script> & <!-- R&D -->"}  # fmt: skip
    script = element(encoded(data))
    assert script.startswith('<script type="application/ld+json">{')
    assert script.endswith("}</script>")
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not {"<", ">", "&"} & set(inner)
    assert json.loads(inner) == data


def _page_jsonld(page: Path) -> Any:
    """The JSON-LD of a page ``export site`` wrote, as a browser's script reads it."""
    (found,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8")
    )
    return json.loads(found)


def _addresses(node: Any) -> list[str]:
    """Every url, sameAs and @id anywhere in the document."""
    if isinstance(node, list):
        return [address for item in node for address in _addresses(item)]
    if not isinstance(node, dict):
        return []
    found = []
    for key, value in node.items():
        if key in ("url", "sameAs", "@id"):
            found += value if isinstance(value, list) else [value]
        found += _addresses(value)
    return found


def test_only_web_addresses_reach_the_sites_json_ld(cli: Cli, tmp_path: Path) -> None:
    """A format-2 ``url`` or speaker link that is not http(s) (validate's FC604) is left
    out of the built pages' JSON-LD; the DOIs and identities forumctl makes stay."""
    root = shutil.copytree(DATA / "format-2", tmp_path / "archive")
    forum = root / "forums" / "forum-2024"
    for path, old, new in (
        (forum / "forum.toml", "https://example.org/2024", "javascript:alert(1)"),
        (forum / "sessions" / "opening.toml", "https://example.org/2024/opening\"",
         "JavaScript:alert(2)\""),
        (forum / "sessions" / "opening.toml", "https://example.org/2024/keynote\"",
         "data:text/html,<script>alert(3)</script>\""),
        (root / "speakers" / "ada.toml", "https://example.org/ada", "vbscript:msgbox(4)"),
    ):  # fmt: skip
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    result = cli("--archive", root, "export", "site", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    forum_page = _page_jsonld(tmp_path / "site" / "docs" / "forum-2024.md")
    ada_page = _page_jsonld(tmp_path / "site" / "docs" / "people" / "ada.md")
    addresses = _addresses(forum_page) + _addresses(ada_page)
    assert addresses, "the pages name their records"
    assert [a for a in addresses if not re.match(r"(https://|urn:uuid:)", a)] == []
    assert "url" not in forum_page  # the forum's own url was javascript:
    (opening,) = [s for s in forum_page["subEvent"] if s["name"] == "Opening"]
    assert "url" not in opening
    assert opening["sameAs"] == "https://doi.org/10.5555/forum.2024.opening"
    keynote = opening["subEvent"][0]
    assert "url" not in keynote
    assert keynote["sameAs"] == "https://doi.org/10.5555/forum.2024.keynote"
    assert keynote["performer"][0]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert ada_page["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert shape_problems(expand(forum_page)) == []


NESTED = DATA / "jsonld-nested"
ARCHIVES = {"sample": Path(__file__).parent.parent / "archive", "format-2": DATA / "format-2"}


def _pages(name: str, tmp_path: Path) -> dict[str, Any]:
    """Every forum and speaker page's JSON-LD of an archive, by the name its nested form
    has under tests/data/jsonld-nested/<name>."""
    resolved = resolve(Archive.open(shutil.copytree(ARCHIVES[name], tmp_path / name)))
    nodes = JsonLd(resolved)
    pages = {f"{forum.id}.json": nodes.forum(forum) for forum in resolved.forums}
    return pages | {f"people/{entry.id}.json": nodes.speaker(entry) for entry in resolved.speakers}


def _node_objects(node: Any) -> list[dict[str, Any]]:
    """Every JSON object of the compact document that has an @id, in document order."""
    if isinstance(node, list):
        return [found for item in node for found in _node_objects(item)]
    if not isinstance(node, dict):
        return []
    here = [node] if "@id" in node else []
    return here + [found for value in node.values() for found in _node_objects(value)]


@pytest.mark.parametrize("name", ARCHIVES)
def test_a_page_states_each_node_once_and_refers_to_it_after(name: str, tmp_path: Path) -> None:
    pages = _pages(name, tmp_path)
    assert sorted(pages) == sorted(
        str(path.relative_to(NESTED / name)) for path in (NESTED / name).rglob("*.json")
    )
    references = 0
    for page, document in pages.items():
        stated: list[str] = []
        for node in _node_objects(document):
            if set(node) == {"@id"}:  # a reference: to a node stated before it on the page
                assert node["@id"] in stated, (page, node)
                references += 1
            else:
                assert "@type" in node, (page, node)
                assert node["@id"] not in stated, (page, node)  # stated once
                stated.append(node["@id"])
        # what consumers read of the page's main node is in it: a forum's place and address
        assert "name" in document and ("people/" in page or "address" in document["location"])
    # the sample's speakers give one talk each and its forum names no rooms; format 2:
    # 7 on its forum page (Bo, Ada, Hall A, the venue of three rooms), 5 on Bo's and Ada's
    assert references == {"sample": 0, "format-2": 12}[name]


def _load_nested(name: str, page: str) -> Any:
    return json.loads((NESTED / name / page).read_text(encoding="utf-8"))


def _derived(forum_id: str, name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(forum_id), name)}"


def _places_named(node: Any, forum_ids: set[str], forum: str | None = None) -> Any:
    """The nested form with the IRIs its places have now: a forum's venue (its
    ``location``, and the ``containedInPlace`` of its rooms) is uuid5 of the forum's
    identity and "venue", a room (a session's ``location``) uuid5 of it and "room:NAME".
    The nested form wrote them as blank nodes, a copy at each session and talk."""
    if isinstance(node, list):
        return [_places_named(item, forum_ids, forum) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("@id") in forum_ids:
        forum = node["@id"]
    elif node.get("superEvent", {}).get("@id") in forum_ids:
        forum = node["superEvent"]["@id"]  # a session on a speaker's page
    named = {key: _places_named(value, forum_ids, forum) for key, value in node.items()}
    if node.get("@type") == "Event" and "location" in node:
        place = named["location"]
        assert forum is not None and "@id" not in place
        is_forum = node["@id"] == forum
        place_id = _derived(forum, "venue" if is_forum else f"room:{place['name']}")
        named["location"] = {"@type": "Place", "@id": place_id, **place}
        if "containedInPlace" in place:
            venue = {"@type": "Place", "@id": _derived(forum, "venue"), **place["containedInPlace"]}
            named["location"]["containedInPlace"] = venue
    return named


def _to_nquads(document: Any) -> str:
    found: str = pyld.to_rdf(document, {"documentLoader": _load, "format": "application/n-quads"})
    return found


def _canonical(nquads: str) -> str:
    """The graph's canonical N-Quads (RDF Dataset Canonicalization, URDNA2015)."""
    found: str = pyld.normalize(
        nquads,
        {"algorithm": "URDNA2015", "inputFormat": "application/n-quads",
         "format": "application/n-quads"},
    )  # fmt: skip
    return found


def _without_repeats(nquads: str) -> str:
    """The graph without a blank node whose every statement another blank node makes too
    (with its name in place of the first's): the two graphs entail each other (RDF 1.1
    Semantics, simple entailment), and the nested form wrote an organization again in
    each copy of the person affiliated with it."""
    quads = set(nquads.splitlines())
    while True:
        blanks = sorted({term for quad in quads for term in quad.split() if term.startswith("_:")})
        mentioning = {b: {q for q in quads if re.search(rf"{b}\b", q)} for b in blanks}
        repeat = next(
            (
                b
                for b in blanks
                for other in blanks
                if other != b
                and {re.sub(rf"{b}\b", other, q) for q in mentioning[b]} <= mentioning[other]
            ),
            None,
        )
        if repeat is None:
            return "".join(f"{quad}\n" for quad in sorted(quads))
        quads -= mentioning[repeat]


@pytest.mark.parametrize("name", ARCHIVES)
def test_the_graph_is_the_nested_forms_with_its_places_named(name: str, tmp_path: Path) -> None:
    """The RDF graph of each page equals the graph of the nested form forumctl wrote before
    (tests/data/jsonld-nested), as canonical N-Quads, after two changes made on purpose:
    the places the nested form left as blank nodes have IRIs now (:func:`_places_named`),
    and its repeated copies of one organization are one (:func:`_without_repeats`)."""
    pages = _pages(name, tmp_path)
    forum_ids = {document["@id"] for page, document in pages.items() if "/" not in page}
    for page, document in pages.items():
        nested = _places_named(_load_nested(name, page), forum_ids)
        expected = _canonical(_without_repeats(_to_nquads(nested)))
        assert _canonical(_to_nquads(document)) == expected, page


@pytest.mark.parametrize("name", ARCHIVES)
def test_a_pages_json_ld_does_not_depend_on_the_pages_made_before(
    name: str, tmp_path: Path
) -> None:
    """Each process rendering pages makes them with its own JsonLd, in any order: every
    page is the same as when made alone (forum_jsonld, speaker_jsonld)."""
    resolved = resolve(Archive.open(shutil.copytree(ARCHIVES[name], tmp_path / name)))
    alone = [encoded(forum_jsonld(resolved, forum)) for forum in resolved.forums]
    alone += [encoded(speaker_jsonld(resolved, entry)) for entry in resolved.speakers]
    nodes = JsonLd(resolved)
    makers = [partial(nodes.forum, forum) for forum in resolved.forums]
    makers += [partial(nodes.speaker, entry) for entry in resolved.speakers]
    backwards = [encoded(make()) for make in reversed(makers)]
    assert backwards[::-1] == alone


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_nodes_made_before_for_some_pages_leave_every_page_the_same(
    name: str, tmp_path: Path
) -> None:
    """The site makes the nodes of the pages it renders before forking the processes that
    render them (JsonLd.prepare): a page is the same whether its nodes were made for it,
    for other pages, or not before at all."""
    resolved = resolve(Archive.open(shutil.copytree(ARCHIVES[name], tmp_path / name)))
    alone = [encoded(forum_jsonld(resolved, forum)) for forum in resolved.forums]
    alone += [encoded(speaker_jsonld(resolved, entry)) for entry in resolved.speakers]
    for forums, speakers in ((resolved.forums, resolved.speakers), ((), resolved.speakers[:1])):
        nodes = JsonLd(resolved)
        nodes.prepare(forums, speakers)
        made = [encoded(nodes.forum(forum)) for forum in resolved.forums]
        made += [encoded(nodes.speaker(entry)) for entry in resolved.speakers]
        assert made == alone
