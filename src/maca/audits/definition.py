"""Audit definitions in and out: YAML text ↔ `AuditDefinition` ↔ the audit's rows.

Reading is all-or-nothing and every problem names its place: the key path and the line of the file. A file that is
not YAML, or YAML built to exhaust the server (aliases that expand a billion times, nesting without end, numbers of
thousands of digits), is refused with a message, never with the parser's own error.
Writing gives the canonical file: export → import → export gives the same text.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from maca.partnerships.models import Agency, AgencyService, GovernanceGroup, Partnership

from .models import Audit, ParticipationKind
from .schema import SCHEMA_ID, AuditDefinition, Headings

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition, at a key path (e.g. themes[2].objectives) and a line of the file."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path or 'the file'}: {self.message}" if self.path else f"{where}{self.message}"


class DefinitionError(Exception):
    """A definition that cannot be used; `problems` says everything that is wrong, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.path))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- Reading --------------------------------------------------------------------------------------------------


MAX_BYTES = 2 * 1024 * 1024  # the largest template is 22 kB
MAX_DEPTH = 64
MAX_EVENTS = 50_000  # the library's largest template has about 1,100 (each key, value and list is one)
MAX_PROBLEMS = 100  # more than a person reads: the first ones, and how many more there are

# The parser written in C reads a file of 2 MB in a second where the one written in Python takes a minute or more.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML's safe loader, except that a date that does not exist (2026-02-30) and a whole number too long for
    Python to read (thousands of digits) stay text, for validation to name."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _line_map(node: yaml.Node, path: Path, lines: dict[Path, int], problems: list[Problem]) -> None:
    """Record the line of every key and item, and refuse keys given twice (YAML would silently keep the last)."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(format_path((*path, key)), "this key is given twice", key_node.start_mark.line + 1)
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), lines, problems)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines, problems)


def _line_for(path: Path, lines: dict[Path, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a key of an audit definition here (check its spelling and indentation)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a set of keys and values",
    "dict_type": "must be a set of keys and values",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date that exists, written YYYY-MM-DD",
    "date_parsing": "must be a date that exists, written YYYY-MM-DD",
    "int_parsing_size": "must be a whole number",
    "int_from_float": "must be a whole number",
    "finite_number": "must be a whole number",
    "string_unicode": "must be text",
    "invalid_key": "is not a key of an audit definition (keys are words, like title)",
}


def _quoted(value: Any) -> str:
    """A value as a message quotes it: a long one cut short, so that a message never repeats a whole file."""
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:59] + "…")
    text = repr(value)
    return text if len(text) <= 62 else text[:61] + "…"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind in MESSAGES:
        return MESSAGES[kind]
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {error['ctx']['max_length']:,} characters"
    if kind == "too_short":
        return f"needs at least {error['ctx']['min_length']} item(s)"
    if kind == "string_pattern_mismatch":
        return f"{_quoted(error['input'])} is not in the expected form ({error['ctx']['pattern']})"
    if kind == "enum":
        return f"{_quoted(error['input'])} is not one of: {error['ctx']['expected']}"
    if kind == "literal_error":
        return f"must be {error['ctx']['expected']}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def parse_definition(text: str) -> AuditDefinition:
    """Read a definition from YAML text; DefinitionError lists every problem with its key path and line."""
    if len(text) > MAX_BYTES:
        raise DefinitionError(
            [Problem("", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: it is not a definition")]
        )
    try:
        # Anchors and aliases (& and *) are never needed in a definition, and let a small file expand without end;
        # nesting deeper than any definition needs only slows the parser down.
        depth = 0
        for count, event in enumerate(yaml.parse(text, Loader=_Loader)):  # quickly, before anything is built
            if count > MAX_EVENTS:
                raise DefinitionError(
                    [Problem("", "the file has far more keys and values than any audit definition: check it is one")]
                )
            if isinstance(event, yaml.NodeEvent) and event.anchor:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise DefinitionError([Problem("", "anchors and aliases (& and *) are not allowed", line)])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RecursionError
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node, data = _compose_and_load(text)
    except RecursionError as error:
        raise DefinitionError([Problem("", "the file is nested too deeply to be a definition")]) from error
    except yaml.reader.ReaderError as error:
        code = error.character if isinstance(error.character, int) else ord(error.character[:1] or "\0")
        line = text.count("\n", 0, error.position) + 1
        message = (
            f"this is not valid YAML: it contains a character YAML does not allow (U+{code:04X}): type the text "
            "again without it"
        )
        raise DefinitionError([Problem("", message, line)]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # At the end of the file, the parser may point at the line after the last one: name the last.
        line = min(mark.line + 1, len(text.splitlines()) or 1) if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionError([Problem("", f"this is not valid YAML: {problem}", line)]) from error
    if node is None or not isinstance(data, dict):
        raise DefinitionError([Problem("", "the file must be a set of keys and values, starting with `schema:`", 1)])
    lines: dict[Path, int] = {}
    problems: list[Problem] = []
    _line_map(node, (), lines, problems)
    if problems:
        raise DefinitionError(_at_most(problems))
    return validate_definition(data, lines)


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The file's node (for the lines of its keys) and its data, built from that node: the file is parsed once."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _at_most(problems: list[Problem]) -> list[Problem]:
    """The first `MAX_PROBLEMS` problems in file order, after one saying how many there are in all."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = sorted(problems, key=lambda p: (p.line or 0, p.path))[:MAX_PROBLEMS]
    return [Problem("", f"the file has {len(problems):,} problems: the first {MAX_PROBLEMS} are listed"), *first]


def validate_definition(data: dict[str, Any], lines: dict[Path, int] | None = None) -> AuditDefinition:
    """Validate plain data as a definition; DefinitionError lists every problem (the first hundred of a file that
    is not a definition at all)."""
    try:
        return AuditDefinition.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            path: Path = tuple(part for part in item["loc"] if part not in ("function-after", "function-before"))
            problems.append(Problem(format_path(path), _message(item), _line_for(path, lines or {})))
        raise DefinitionError(_at_most(problems)) from error


# --- Writing --------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, prose as literal blocks, keys in the schema's order."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def definition_data(definition: AuditDefinition) -> dict[str, Any]:
    """The canonical data of a definition: defaults left out, `schema` first."""
    data: dict[str, Any] = definition.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return {"schema": SCHEMA_ID, **{key: value for key, value in data.items() if key != "schema"}}


def dump_definition(definition: AuditDefinition) -> str:
    """The definition as the YAML file people exchange."""
    data = definition_data(definition)
    # Dates were turned into text by the JSON dump; write them back as YAML dates.
    data["version_date"] = definition.version_date
    identification = data["identification"]
    identification["scope_start"] = definition.identification.scope_start
    identification["scope_end"] = definition.identification.scope_end
    for milestone, source in zip(data.get("timeline", []), definition.timeline, strict=True):
        if source.actual is not None:
            milestone["actual"] = source.actual
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


# --- Rows → definition ----------------------------------------------------------------------------------------


def _participants(audit: Audit, kind: str) -> list[dict[str, Any]]:
    rows = []
    for participant in audit.participants.filter(kind=kind).select_related("agency"):
        row: dict[str, Any] = {"agency": participant.agency.short_code}
        services = [link.service.name for link in participant.service_links.select_related("service")]
        if services:
            row["services"] = services
        if participant.services_text:
            row["services_text"] = participant.services_text
        rows.append(row)
    return rows


def audit_data(audit: Audit) -> dict[str, Any]:
    """Everything the audit's rows say, as definition data (not validated: a draft may be incomplete)."""
    themes = []
    for theme in audit.themes.prefetch_related("questions"):
        questions = [
            {
                "key": q.key,
                "text": q.text,
                "answer": q.answer_type,
                "choices": q.choices,
                "help": q.help_text,
                "required": q.required,
            }
            for q in theme.questions.all()
        ]
        themes.append({"name": theme.name, "objectives": list(theme.objectives), "questions": questions})
    identifying = [
        {"agency": row.agency.short_code, "service": row.service.name if row.service_id and row.service else ""}
        for row in audit.identifying.select_related("agency", "service")
    ]
    engagement: dict[str, Any] = {
        "text": audit.engagement_text,
        "case_audit": _participants(audit, ParticipationKind.CASE_AUDIT),
    }
    if audit.framework:
        engagement["wider_audit"] = {
            "framework": audit.framework,
            "participants": _participants(audit, ParticipationKind.WIDER_AUDIT),
        }
    return {
        "schema": SCHEMA_ID,
        "reference": audit.reference,
        "title": audit.title,
        "short_title": audit.short_title,
        "topic": audit.topic,
        "version_date": audit.version_date,
        "headings": {**Headings().model_dump(), **audit.headings},
        "background": audit.background,
        "definitions": audit.definitions,
        "purpose": audit.purpose,
        "themes": themes,
        "identification": {
            "text": audit.identification_text,
            "identifying_agencies": identifying,
            "target_cases": audit.target_cases,
            "scope_start": audit.scope_start,
            "scope_end": audit.scope_end,
            "age_min": audit.age_min,
            "age_max": audit.age_max,
            "phases": list(audit.phases),
            "include_send": audit.include_send,
            "field_criteria": [dict(criterion) for criterion in audit.field_criteria],
        },
        "engagement": engagement,
        "timeline": [
            {
                "kind": m.kind,
                "text": m.text,
                "planned": m.planned,
                "actual": m.actual,
                "reports_to": m.reports_to.name if m.reports_to else "",
            }
            for m in audit.milestones.select_related("reports_to")
        ],
        "governance_groups": [group.name for group in audit.governance_groups.order_by("name")],
        "grading_scale": list(audit.grading_scale),
        "case_fields": [
            {
                "key": f.key,
                "label": f.label,
                "type": f.field_type,
                "choices": f.choices,
                "ordinal": f.ordinal,
                "per_agency": f.per_agency,
                "help": f.help_text,
            }
            for f in audit.case_fields.all()
        ],
    }


def audit_definition(audit: Audit) -> AuditDefinition:
    """The audit's definition; DefinitionError says what is still missing or wrong in a draft."""
    return validate_definition(audit_data(audit))


def definition_problems(audit: Audit) -> list[Problem]:
    """What stops the audit's Terms of Reference being complete (empty when it is)."""
    try:
        audit_definition(audit)
    except DefinitionError as error:
        return error.problems
    return []


# --- Definition → rows: checking names against the partnership -----------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """The partnership's agencies, services and groups that a definition names, once all are known to exist."""

    agencies: dict[str, Agency]
    services: dict[tuple[str, str], AgencyService]
    groups: dict[str, GovernanceGroup]


def agency_refs(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, reference) for every place definition data names an agency (and perhaps services)."""
    ident = data["identification"]
    for i, ref in enumerate(ident["identifying_agencies"]):
        yield f"identification.identifying_agencies[{i}]", ref
    engagement = data["engagement"]
    for i, ref in enumerate(engagement["case_audit"]):
        yield f"engagement.case_audit[{i}]", ref
    if engagement.get("wider_audit"):
        for i, ref in enumerate(engagement["wider_audit"]["participants"]):
            yield f"engagement.wider_audit.participants[{i}]", ref


def _service_names(ref: dict[str, Any]) -> list[str]:
    return list(ref.get("services", [])) + ([ref["service"]] if ref.get("service") else [])


def resolve_names(data: dict[str, Any], partnership: Partnership) -> Resolved:
    """Find every agency, service and governance group the data names; DefinitionError for any unknown."""
    agencies = {agency.short_code: agency for agency in partnership.agencies.all()}
    services = {
        (service.agency.short_code, service.name): service
        for service in AgencyService.objects.filter(agency__partnership=partnership).select_related("agency")
    }
    groups = {group.name: group for group in partnership.governance_groups.all()}
    problems: list[Problem] = []
    for path, ref in agency_refs(data):
        code = ref["agency"]
        if code not in agencies:
            problems.append(Problem(f"{path}.agency", f"{code} is not an agency of {partnership.name}"))
            continue
        for name in _service_names(ref):
            if (code, name) not in services:
                problems.append(Problem(path, f"{agencies[code].name} has no service called {name!r}"))
    for i, milestone in enumerate(data["timeline"]):
        if milestone.get("reports_to") and milestone["reports_to"] not in groups:
            problems.append(
                Problem(f"timeline[{i}].reports_to", f"{milestone['reports_to']!r} is not a governance group")
            )
    for i, name in enumerate(data["governance_groups"]):
        if name not in groups:
            problems.append(Problem(f"governance_groups[{i}]", f"{name!r} is not a governance group"))
    if problems:
        raise DefinitionError(problems)
    return Resolved(agencies, services, groups)


def adapt_to_partnership(data: dict[str, Any], partnership: Partnership) -> list[str]:
    """Leave out of definition data (in place) the agencies, services and groups the partnership does not have.

    For templates, which name another partnership's agencies. Returns a sentence for each thing left out.
    """
    agencies = {a.short_code: a for a in partnership.agencies.prefetch_related("services")}
    group_names = set(partnership.governance_groups.values_list("name", flat=True))
    left_out: list[str] = []

    def keep(where: str, ref: dict[str, Any]) -> bool:
        agency = agencies.get(ref["agency"])
        if agency is None:
            left_out.append(f"{where}: the agency {ref['agency']}, which this partnership does not have")
            return False
        names = {service.name for service in agency.services.all()}
        for name in [n for n in _service_names(ref) if n not in names]:
            left_out.append(f"{where}: {agency.name}’s service “{name}”")
        if "services" in ref:
            ref["services"] = [n for n in ref["services"] if n in names]
        if ref.get("service") and ref["service"] not in names:
            ref["service"] = ""
        return True

    ident, engagement = data["identification"], data["engagement"]
    ident["identifying_agencies"] = [r for r in ident["identifying_agencies"] if keep("Identifying agencies", r)]
    engagement["case_audit"] = [r for r in engagement["case_audit"] if keep("Case audit", r)]
    if engagement.get("wider_audit"):
        wider = engagement["wider_audit"]
        wider["participants"] = [r for r in wider["participants"] if keep("Wider partnership audit", r)]
    for milestone in data["timeline"]:
        if milestone.get("reports_to") and milestone["reports_to"] not in group_names:
            left_out.append(f"Timeline: the governance group “{milestone['reports_to']}”")
            milestone["reports_to"] = ""
    for name in [n for n in data["governance_groups"] if n not in group_names]:
        left_out.append(f"Governance groups: “{name}”")
    data["governance_groups"] = [n for n in data["governance_groups"] if n in group_names]
    return left_out
