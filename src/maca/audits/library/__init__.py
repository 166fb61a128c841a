"""The template library: audit definitions that ship with maca, for a partnership to start an audit from.

Each template is a YAML audit definition in this folder (see `docs/audit-definition.md`). The first, `hsb`, is the
seed Terms of Reference word for word and the demo audit.
"""

from dataclasses import dataclass
from pathlib import Path

from maca.audits.definition import parse_definition
from maca.audits.schema import AuditDefinition

LIBRARY = Path(__file__).parent


@dataclass(frozen=True)
class Template:
    """A shipped template: its key, a name and one line saying what it is, and the file holding its definition."""

    key: str
    name: str
    description: str
    path: Path


TEMPLATES: list[Template] = [
    Template(
        "hsb",
        "Harmful sexual behaviour",
        "Multi-agency case audit on harmful sexual behaviour: the Torbay Terms of Reference of June 2021.",
        LIBRARY / "hsb.yaml",
    ),
    Template(
        "neglect",
        "Child neglect",
        "Multi-agency case audit on child neglect: recognition, assessment (GCP2), lived experience and impact.",
        LIBRARY / "neglect.yaml",
    ),
]


def template_keys() -> list[str]:
    """The keys of the shipped templates, in the library's order."""
    return [template.key for template in TEMPLATES]


def get_template(key: str) -> Template:
    """The template with this key; `KeyError` naming the known keys if there is none."""
    for template in TEMPLATES:
        if template.key == key:
            return template
    raise KeyError(f"no template {key!r}; the templates are: {', '.join(template_keys())}")


def load_template(key: str) -> AuditDefinition:
    """The template's audit definition, read as any definition file is (`DefinitionError` names a problem's line)."""
    return parse_definition(get_template(key).path.read_text(encoding="utf-8"))
