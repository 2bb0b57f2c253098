"""Prompt templates are files in `prompts/`, loaded and checked once at start.

Each template declares the variables it must use. A file that is missing, that leaves out a required
`{variable}` or that uses one nobody will fill is a `PromptError` naming the file, raised at load time rather
than in the middle of a request. Literal braces are written `{{` and `}}`.
"""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

# The top-level `prompts/` folder is a package so that it ships in the wheel as package data; importlib.resources
# finds it in a checkout (editable install) and in site-packages alike.
DEFAULT_PROMPTS_DIR = Path(str(resources.files("prompts")))

# file stem -> the variables its text must contain, no more and no fewer
REQUIRED_VARIABLES: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "answer": frozenset({"question", "passages"}),
    "retry": frozenset({"problems"}),
    "condense": frozenset({"question", "history"}),
}


class PromptError(Exception):
    """A prompt file is missing or its variables do not match what the bot fills in."""


class PromptTemplate(BaseModel):
    """One prompt file: its text and the variables it uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    path: Path
    text: str
    variables: frozenset[str]

    def render(self, **values: str) -> str:
        """Fill the template; every variable must be given and nothing else.

        Raises:
            PromptError: a variable is missing or unexpected (the message names the file).
        """
        missing = sorted(self.variables - values.keys())
        if missing:
            raise PromptError(f"{self.path}: missing variable(s) {', '.join(missing)}")
        extra = sorted(values.keys() - self.variables)
        if extra:
            raise PromptError(f"{self.path}: unknown variable(s) {', '.join(extra)}")
        return self.text.format_map(values)


class Prompts(BaseModel):
    """The bot's prompts, one per file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    system: PromptTemplate
    answer: PromptTemplate
    retry: PromptTemplate
    condense: PromptTemplate


def load_prompts(directory: Path = DEFAULT_PROMPTS_DIR) -> Prompts:
    """Read `<name>.md` for every prompt and check its variables.

    Raises:
        PromptError: a file is missing or unreadable, malformed, or its variables differ from the declared ones.
    """
    templates = {name: _load(directory / f"{name}.md", name, needed) for name, needed in REQUIRED_VARIABLES.items()}
    return Prompts(**templates)


def _load(path: Path, name: str, needed: frozenset[str]) -> PromptTemplate:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: cannot read prompt '{name}' ({exc.strerror or exc})") from exc
    used = template_variables(text, path)
    missing = sorted(needed - used)
    if missing:
        raise PromptError(f"{path}: missing variable(s) {', '.join('{' + v + '}' for v in missing)}")
    unknown = sorted(used - needed)
    if unknown:
        allowed = ", ".join("{" + v + "}" for v in sorted(needed)) or "none"
        raise PromptError(
            f"{path}: unknown variable(s) {', '.join('{' + v + '}' for v in unknown)} (allowed: {allowed}; "
            "write literal braces as {{ }})"
        )
    return PromptTemplate(name=name, path=path, text=text, variables=used)


def template_variables(text: str, path: Path) -> frozenset[str]:
    """The `{name}` fields of a template (format specs and attribute access are refused)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PromptError(f"{path}: malformed template ({exc}); write literal braces as {{{{ }}}}") from exc
    fields = set()
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PromptError(f"{path}: bad placeholder {{{field}}}; use plain names like {{question}}")
        fields.add(field)
    return frozenset(fields)
