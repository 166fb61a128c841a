"""The task list of an audit's Terms of Reference: each section, where to edit it, and whether it is complete."""

from dataclasses import dataclass

from django.urls import reverse

from .definition import Problem
from .models import Audit


@dataclass(frozen=True)
class Task:
    name: str
    href: str
    complete: bool
    problems: tuple[str, ...]


# (name, url name, extra url kwargs, the definition keys the section holds)
SECTIONS: list[tuple[str, str, dict[str, str], tuple[str, ...]]] = [
    (
        "Title, topic and version date",
        "audits:edit_details",
        {},
        ("title", "short_title", "topic", "version_date", "governance_groups", "reference", "headings"),
    ),
    ("Background", "audits:edit_text", {"section": "background"}, ("background",)),
    ("Definitions", "audits:edit_text", {"section": "definitions"}, ("definitions",)),
    ("Purpose", "audits:edit_text", {"section": "purpose"}, ("purpose",)),
    ("Themes, objectives and questions", "audits:edit_themes", {}, ("themes",)),
    ("Identification of cases", "audits:edit_identification", {}, ("identification",)),
    ("Agencies taking part", "audits:edit_engagement", {}, ("engagement",)),
    ("Timeline", "audits:edit_timeline", {}, ("timeline",)),
    ("Grading scale", "audits:edit_grading", {}, ("grading_scale",)),
    ("Case profile fields for the topic", "audits:edit_case_fields", {}, ("case_fields",)),
]


def _section_of(problem: Problem) -> str:
    return problem.path.split(".", 1)[0].split("[", 1)[0]


def task_list(audit: Audit, problems: list[Problem]) -> list[Task]:
    """Each section of the Terms of Reference with its link and the problems found in it."""
    tasks = []
    for name, url_name, kwargs, keys in SECTIONS:
        found = tuple(str(problem) for problem in problems if _section_of(problem) in keys)
        href = reverse(url_name, kwargs={"reference": audit.reference, **kwargs})
        tasks.append(Task(name, href, complete=not found, problems=found))
    return tasks
