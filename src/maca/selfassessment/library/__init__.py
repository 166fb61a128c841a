"""The frameworks that ship with maca, for the wider partnership self-assessment (6b) of an audit.

Each framework is a YAML file in this folder: areas in order, each with the statements an agency rates itself
against. An audit gets its own copy (`maca.selfassessment.services.framework_ensure`), which its coordinator edits:
partnerships use their own version of the checklist. The first framework, `nspcc-hsb`, is the default.

Files are read with YAML's safe loader and checked with pydantic: unknown keys, empty text and repeated names are
refused, and every problem is named by its key path (`areas[2].statements[0].text`).
"""

import unicodedata
from pathlib import Path
from typing import Annotated, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

LIBRARY = Path(__file__).parent
SCHEMA_ID = "maca-framework/1"
DEFAULT_KEY = "nspcc-hsb"

# Lengths match the database's columns and the editor's fields, so that anything a file holds can be stored.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,59}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
StatementText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Hint = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class StatementDefinition(Strict):
    """A statement an agency rates: what should be in place, and a hint on the evidence that would show it."""

    text: StatementText
    hint: Hint = ""


class AreaDefinition(Strict):
    """An area of the framework, with its statements in order."""

    name: Name
    description: Description = ""
    statements: list[StatementDefinition] = Field(min_length=1)


class FrameworkDefinition(Strict):
    """A framework file: its key, its name (and the other names an audit's Terms of Reference may give it)."""

    schema_: Literal["maca-framework/1"] = Field(alias="schema")
    key: Key
    name: Line
    also_known_as: list[Line] = Field(default_factory=list)
    description: Description = ""
    areas: list[AreaDefinition] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_area_names(self) -> Self:
        names = [normalise(area.name) for area in self.areas]
        repeated = sorted({area.name for area in self.areas if names.count(normalise(area.name)) > 1})
        if repeated:
            raise ValueError(f"the area {repeated[0]!r} is given twice")
        return self

    def is_named(self, name: str) -> bool:
        """Whether `name` (as a Terms of Reference writes it) names this framework."""
        wanted = normalise(name)
        return bool(wanted) and wanted in {normalise(known) for known in (self.name, *self.also_known_as)}


class FrameworkFileError(Exception):
    """A framework file that cannot be used; `problems` names every problem by its key path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def normalise(text: str) -> str:
    """Text compared as people read it: case, accents, punctuation and spacing aside."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"


def parse_framework(text: str) -> FrameworkDefinition:
    """Read a framework from YAML text; FrameworkFileError names every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkFileError([f"this is not valid YAML: {getattr(error, 'problem', None) or error}"]) from error
    if not isinstance(data, dict):
        raise FrameworkFileError(["the file must be a set of keys and values, starting with `schema:`"])
    try:
        return FrameworkDefinition.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{_path(tuple(item['loc']))}: {message}")
        raise FrameworkFileError(problems) from error


def framework_files() -> list[Path]:
    """The shipped framework files, the default first."""
    default = LIBRARY / f"{DEFAULT_KEY}.yaml"
    return [default, *sorted(path for path in LIBRARY.glob("*.yaml") if path != default)]


def load_framework(key: str) -> FrameworkDefinition:
    """The shipped framework with this key; KeyError naming the known keys if there is none."""
    path = LIBRARY / f"{key}.yaml"
    if not path.is_file() or path not in framework_files():
        known = ", ".join(p.stem for p in framework_files())
        raise KeyError(f"no framework {key!r}; the frameworks are: {known}")
    return parse_framework(path.read_text(encoding="utf-8"))


def default_framework() -> FrameworkDefinition:
    """The default framework: the NSPCC Harmful Sexual Behaviour Framework's five operational areas."""
    return load_framework(DEFAULT_KEY)


def framework_named(name: str) -> FrameworkDefinition | None:
    """The shipped framework a Terms of Reference names (by its name or another name it is known by), if any."""
    for path in framework_files():
        framework = parse_framework(path.read_text(encoding="utf-8"))
        if framework.is_named(name):
            return framework
    return None
