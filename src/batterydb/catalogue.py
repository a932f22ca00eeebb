"""The named queries in ``queries/``: one question per ``.sql`` file.

A query file is an ordinary SQL file that any console can run once its
parameters are bound. Its metadata is a block of line comments at the top,
one ``-- key: value`` per line (the style of aiosql and sqlc, readable in any
editor), with the query's name taken from the file name (as PugSQL does):

    -- title: Owners of an organisation
    -- question: Who owns this organisation directly, and with what share?
    -- param org ORGANISATION (required): Organisation id, name or alias.
    -- param year INTEGER = 2020: Year the figures refer to.
    -- param countries VARCHAR[] = NULL: Only these ISO country codes.
    -- param limit_to INTEGER = 20 (at least 1): Most rows; "(1 to 5)" declares both ends.
    -- column owner VARCHAR: Name of the owner.
    -- example: org=beijing_era year=2024
    --
    -- Free notes: how the query works, how it terminates, what it leaves out.

``title`` and ``question`` are required; ``example`` gives parameter values
(``NAME=VALUE``, shell-quoted) that answer with rows on the shipped data,
which ``show`` prints as a command and the tests run; a line starting ``--`` and two or
more spaces continues the previous line. Parameters are DuckDB named
parameters (``$org``), typed with DuckDB type names and bound by DuckDB,
or with one of the ``RESOLVED`` types, which name a thing the database
holds: the text a person gives (``CATL``, ``Beijing_Era``, an alias) is
resolved by a macro of the schema to the one id the query's SQL compares
with, or refused, naming the closest matches. The query itself never looks
names up, so every way of running it (Python, the CLI, the ``analytics``
macros, PostgreSQL) resolves the same way.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import QueryError

_KEY = re.compile(r"^--\s?(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_CONTINUATION = re.compile(r"^--\s{2,}(?P<value>\S.*?)\s*$")
_PARAM = re.compile(
    r"^--\s?param\s+(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>[A-Z][A-Z0-9_]*(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)\s*"
    r"(?:(?P<required>\(required\))|=\s*(?P<default>.+?))"
    r"(?:\s+\((?:at least (?P<least>-?\d+)|(?P<low>-?\d+) to (?P<high>-?\d+))\))?\s*:\s+(?P<description>.+?)\s*$"
)
_COLUMN = re.compile(r"^--\s?column\s+(?P<name>\w+)\s+(?P<type>[^:]+?)\s*(?::\s+(?P<description>.+?))?\s*$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

#: The parameter types that name a thing in the database: each is text, resolved to an id by a macro of
#: the schema (``schema/04_macros.sql``), which is also how a console user's text is resolved; the table
#: macro after it lists what the text matches, the cheap question when it matches one.
RESOLVED = {
    "ORGANISATION": ("resolve_org", "text naming one organisation by id, name or alias", "org_matches"),
    "PLANT_OR_ORGANISATION": ("resolve_subject", "text naming one plant by id or name, or one organisation",
                              "subject_matches"),
}


@dataclass(frozen=True, repr=False)
class Param:
    name: str
    type: str
    required: bool
    default: str | None  # a SQL literal, cast to ``type``
    description: str
    line: int
    low: int | None = None   # the range the query accepts, from ``(at least N)`` or ``(N to M)``
    high: int | None = None

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return self.low, self.high

    @property
    def range_text(self) -> str:
        if self.high is None:
            return f"at least {self.low}"
        return f"{self.low} to {self.high}"

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")

    @property
    def resolver(self) -> str | None:
        """The schema macro that turns the given text into the id the query compares with, if any."""
        return RESOLVED[self.type][0] if self.type in RESOLVED else None

    @property
    def matches(self) -> str | None:
        """The schema's table macro listing what the given text matches (see ``RESOLVED``), if any."""
        return RESOLVED[self.type][2] if self.type in RESOLVED else None

    @property
    def takes(self) -> str | None:
        """What a parameter of a ``RESOLVED`` type takes, in words, for ``show``."""
        return RESOLVED[self.type][1] if self.type in RESOLVED else None

    @property
    def sql_type(self) -> str:
        """The DuckDB type the value is bound as: text for the ``RESOLVED`` types, else the declared one."""
        return "VARCHAR" if self.resolver else self.type

    def signature(self) -> str:
        text = f"{self.name} {self.type}" + ("" if self.required else f" = {self.default}")
        return text + (f" ({self.range_text})" if self.low is not None else "")

    def __repr__(self) -> str:
        return f"<Param {self.signature()}{' (required)' if self.required else ''}>"


@dataclass(frozen=True, repr=False)
class NamedQuery:
    name: str
    title: str
    question: str
    sql: str
    path: Path
    params: tuple[Param, ...] = ()
    columns: tuple[tuple[str, str], ...] | None = None
    descriptions: dict[str, str] = field(default_factory=dict, compare=False)  # column name: what it holds
    notes: str = ""
    example: str = ""  # NAME=VALUE pairs, shell-quoted
    problems: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    def example_values(self) -> dict[str, str]:
        """The example's parameter values, as text (as the CLI's ``--param`` takes them)."""
        pairs = (word.partition("=") for word in shlex.split(self.example))
        return {name: value for name, _, value in pairs}

    def example_command(self) -> str:
        """The example as a command to type."""
        params = "".join(f" --param {shlex.quote(f'{k}={v}')}" for k, v in self.example_values().items())
        return f"batterydb query {self.name}{params}"

    @property
    def required(self) -> list[Param]:
        return [p for p in self.params if p.required]

    @property
    def signature_params(self) -> list[Param]:
        """The parameters in the order a function's signature takes them: the required ones first."""
        return self.required + [p for p in self.params if not p.required]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def describe(self, path_text: str | None = None) -> str:
        """What ``batterydb show`` prints: the question, parameters, columns, an example and the SQL.

        ``path_text`` is how to write the file's path (the CLI's is relative
        to the current folder); by default, as it is.
        """
        lines = [f"{self.name}: {self.title}", "", self.question, ""]
        if self.params:
            lines.append("parameters:")
            for p in self.params:
                default = "required" if p.required else f"default {p.default}"
                accepts = f", {p.range_text}" if p.low is not None else f", {p.takes}" if p.takes else ""
                lines.append(f"  {p.name} {p.type} ({default}{accepts}): {p.description}")
            lines.append("")
        if self.columns:
            lines.append("columns:")
            lines += [f"  {n} {t}" + (f": {self.descriptions[n]}" if n in self.descriptions else "")
                      for n, t in self.columns]
            lines.append("")
        lines += [f"example: {self.example_command()}", ""]
        lines.append(f"-- {path_text if path_text is not None else self.path}")
        lines.append(self.sql.rstrip())
        return "\n".join(lines) + "\n"

    def summary(self) -> dict:
        """The query as ``batterydb queries --format json`` lists it."""
        return {"name": self.name, "title": self.title, "question": self.question,
                "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in self.params]}

    def usage(self) -> str:
        """Two lines: the name with its parameters (``org=<VARCHAR> [max_depth]``), then the title and question."""
        params = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}]" for p in self.params)
        return f"{self.name} {params}".rstrip() + f"\n    {self.title}: {self.question}"

    def __repr__(self) -> str:
        """The signature and the question, not the SQL (``show`` prints that)."""
        params = ", ".join(p.signature() for p in self.params)
        columns = ", ".join(f"{n} {t}" for n, t in self.columns or ())
        return f"<NamedQuery {self.name}({params}) -> ({columns}): {self.question}>"


def parse(path: Path) -> NamedQuery:
    """Read one query file. Header mistakes are kept in ``problems`` for ``lint``, not raised."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}  # where each key was given
    params: list[Param] = []
    columns: list[tuple[str, str]] = []
    descriptions: dict[str, str] = {}
    notes: list[str] = []
    problems: list[tuple[int, str]] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("--"):
            break
        if notes or line.strip() == "--":
            notes.append(line[2:].strip())
            last = None
            continue
        if (m := _CONTINUATION.match(line)) and last in ("title", "question", "example"):
            meta[last] += " " + m["value"]
            continue
        if (m := _CONTINUATION.match(line)) and last and last.startswith("column ") and last[7:] in descriptions:
            descriptions[last[7:]] += " " + m["value"]
            continue
        if line.startswith(("-- param", "--param")):
            m = _PARAM.match(line)
            if m is None:
                problems.append((number, "cannot read this parameter; write it as "
                                         "'-- param NAME TYPE (required): description' or "
                                         "'-- param NAME TYPE = DEFAULT: description'"))
            else:
                low = m["least"] or m["low"]
                params.append(Param(m["name"], m["type"], m["required"] is not None, m["default"],
                                    m["description"], number, int(low) if low is not None else None,
                                    int(m["high"]) if m["high"] is not None else None))
            last = None
            continue
        if line.startswith(("-- column", "--column")):
            m = _COLUMN.match(line)
            if m is None:
                problems.append((number, "cannot read this column; write it as '-- column NAME TYPE: description'"))
            else:
                columns.append((m["name"], m["type"]))
                if m["description"]:
                    descriptions[m["name"]] = m["description"]
                else:
                    problems.append((number, f"column {m['name']} has no description; write it as "
                                             f"'-- column {m['name']} {m['type']}: what it holds'"))
                last = "column " + m["name"]
            continue
        if m := _KEY.match(line):
            if m["key"] not in ("title", "question", "example"):
                problems.append((number, f"unknown header key {m['key']!r}; "
                                         "expected title, question, param, column or example"))
            meta[m["key"]] = m["value"]
            lines[m["key"]] = number
            last = m["key"]
            continue
        notes.append(line[2:].strip())
    if not columns:
        problems.append((1, "header declares no columns; add '-- column NAME TYPE: description' for each column "
                            "of the result"))
    for key in ("title", "question"):
        if not meta.get(key):
            problems.append((1, f"header lacks a {key}; start the file with '-- title: ...' and '-- question: ...'"))
    if not NAME.match(path.stem):
        problems.append((1, f"file name {path.name!r} must be snake_case: lower-case letters, digits and _"))
    seen = set()
    for p in params:
        if p.type.removesuffix("[]") in RESOLVED and p.is_list:
            problems.append((p.line, f"parameter ${p.name}: a list of {p.type[:-2]} is not supported; "
                                     f"declare one {p.type[:-2]}"))
        if p.name in seen:
            problems.append((p.line, f"parameter ${p.name} is declared twice"))
        seen.add(p.name)
    problems += _example_problems(meta.get("example", ""), lines.get("example", 1), params)
    return NamedQuery(
        name=path.stem,
        title=meta.get("title", ""),
        question=meta.get("question", ""),
        sql=text,
        path=path,
        params=tuple(params),
        columns=tuple(columns) or None,
        descriptions=descriptions,
        notes="\n".join(notes).strip(),
        example=meta.get("example", ""),
        problems=tuple(problems),
    )


def _example_problems(example: str, line: int, params: list[Param]) -> list[tuple[int, str]]:
    """What is wrong with an example: every required parameter needs a value, and only declared ones have one."""
    try:
        words = shlex.split(example)
    except ValueError as exc:
        return [(line, f"cannot read the example: {exc}; write NAME=VALUE pairs, quoted as in a shell")]
    given = [word.partition("=") for word in words]
    problems = [(line, f"example {word!r} is not NAME=VALUE") for word, (_, sep, _) in zip(words, given) if not sep]
    declared = {p.name for p in params}
    problems += [(line, f"example gives {name}, which is not a parameter") for name, sep, _ in given
                 if sep and name not in declared]
    missing = [p.name for p in params if p.required and p.name not in {name for name, _, _ in given}]
    if missing:
        problems.append((line, f"the example must give every required parameter; it lacks {', '.join(missing)}"))
    return problems


def load(queries_dir: Path | str | None = None) -> dict[str, NamedQuery]:
    """Every named query in the folder (default: the shipped one), by name, in name order."""
    folder = paths.queries_dir(queries_dir)
    if not folder.is_dir():
        raise QueryError(f"{folder}: query folder not found")
    return {q.name: q for q in (parse(p) for p in sorted(folder.glob("*.sql")))}


def find(catalogue: dict[str, NamedQuery], name: str) -> NamedQuery:
    """The query called ``name``, or a ``QueryError`` suggesting the closest names."""
    try:
        return catalogue[name]
    except KeyError:
        close = difflib.get_close_matches(name, catalogue, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known queries: {', '.join(sorted(catalogue))}"
        raise QueryError(f"no query named {name!r}{hint}") from None
