"""Rows of chosen tables from a MySQL dump, read with a real SQL tokenizer (sqlglot's MySQL).

The importer must never take SQL that sits inside another table's text (a comment body that
contains "INSERT INTO wp_ratings VALUES …" is a string, not a statement). So the dump is cut
into statements by the tokenizer itself — a `;` inside a string or a comment is not the end of
a statement — and only `INSERT INTO <prefix><table>` statements whose values are all literals
count. Column names come from the INSERT's column list, else from the table's CREATE TABLE in
the dump, else WordPress's own column order.

Refused, with the line number (DumpProblem): a dump that ends inside a statement or string;
values that are not literals (NOW(), subqueries); a row with the wrong number of values;
UPDATE/DELETE/REPLACE/ALTER on a wanted table (the rows would not be what the dump inserts);
two tables that could both be the one meant (`wp_ratings` and `wp2_ratings`) unless the table
prefix is given.

Memory holds one statement at a time (plus the wanted rows); mysqldump writes a statement per
line, so a dump is read line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

LITERALS = {
    TokenType.NUMBER: lambda text: text,
    TokenType.STRING: lambda text: text,
    TokenType.HEX_STRING: lambda text: bytes.fromhex(text).decode("utf-8", "replace"),
    TokenType.NULL: lambda text: None,
    TokenType.TRUE: lambda text: "1",
    TokenType.FALSE: lambda text: "0",
}
NAMES = (TokenType.IDENTIFIER, TokenType.VAR)
CHANGES = {"UPDATE", "DELETE", "REPLACE", "ALTER", "TRUNCATE", "RENAME"}


class DumpProblem(ValueError):
    """Input that cannot be read unambiguously; `line` is where (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Table:
    name: str
    line: int
    columns: list[str] | None = None
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (line, column → value)


def statements(lines: Iterable[str]) -> Iterator[tuple[int, list]]:
    """(line of the chunk it came in, tokens) of every statement: a token's line in the file
    is chunk line + token.line - 1. DumpProblem for an unfinished statement."""
    tokenizer = MySQL().tokenizer_class()
    chunk: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if not chunk:
            start = number
        chunk.append(line)
        if not line.rstrip().endswith(";"):
            continue
        try:
            tokens = tokenizer.tokenize("".join(chunk))
        except SqlglotError:
            continue  # the `;` is inside a string or comment: the statement goes on
        chunk = []
        statement: list = []
        for token in tokens:
            if token.token_type is TokenType.SEMICOLON:
                if statement:
                    yield start, statement
                statement = []
            else:
                statement.append(token)
    if "".join(chunk).strip():
        try:
            tokens = tokenizer.tokenize("".join(chunk))
        except SqlglotError:
            raise DumpProblem(start, "the dump ends inside a string or comment") from None
        if tokens:
            raise DumpProblem(
                start + tokens[0].line - 1, "the dump ends before this statement does (no `;`)"
            )


def _name_after(tokens: list, position: int) -> tuple[str | None, int]:
    """A table name (schema.table → table) starting at `position`; (None, position) if none."""
    name = None
    while position < len(tokens) and tokens[position].token_type in NAMES:
        name = tokens[position].text
        if position + 1 < len(tokens) and tokens[position + 1].token_type is TokenType.DOT:
            position += 2
            continue
        return name, position + 1
    return name, position


def _tuple(tokens: list, position: int, base: int) -> tuple[list, int]:
    """Values of `( … )` at `position`, all literals; the position after it."""
    line0 = base + tokens[min(position, len(tokens) - 1)].line - 1
    if position >= len(tokens) or tokens[position].token_type is not TokenType.L_PAREN:
        raise DumpProblem(line0, "expected `(` with the values of a row")
    values: list = []
    position += 1
    while True:
        token = tokens[position] if position < len(tokens) else None
        if token is None:
            raise DumpProblem(line0, "a row of values is not closed with `)`")
        line = base + token.line - 1
        sign = ""
        if token.token_type in (TokenType.DASH, TokenType.PLUS):
            sign = "-" if token.token_type is TokenType.DASH else ""
            position += 1
            token = tokens[position] if position < len(tokens) else token
            if token.token_type is not TokenType.NUMBER:
                raise DumpProblem(line, "a sign must be followed by a number")
        if token.token_type not in LITERALS:
            raise DumpProblem(
                line, f"the value {token.text!r} is not a literal (a number, text or NULL)"
            )
        value = LITERALS[token.token_type](token.text)
        values.append(sign + value if sign else value)
        position += 1
        following = tokens[position].token_type if position < len(tokens) else None
        if following is TokenType.R_PAREN:
            return values, position + 1
        if following is not TokenType.COMMA:
            raise DumpProblem(line, "expected `,` or `)` after a value")
        position += 1


def _columns_of_create(tokens: list, position: int) -> list[str]:
    columns, depth, expect = [], 0, False
    for token in tokens[position:]:
        kind = token.token_type
        if kind is TokenType.L_PAREN:
            depth += 1
            expect = depth == 1
        elif kind is TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and kind is TokenType.COMMA:
            expect = True
        elif expect:
            if kind is TokenType.IDENTIFIER or (
                kind is TokenType.VAR and token.text.upper() not in ("CONSTRAINT", "INDEX")
            ):
                columns.append(token.text)
            expect = False
    return columns


def read_tables(lines: Iterable[str], wanted: Iterable[str]) -> dict[str, list[Table]]:
    """Every table whose name ends with a wanted base name ("ratings" → wp_ratings, x_ratings),
    with its rows; `prefix_of` picks the one meant."""
    found: dict[str, dict[str, Table]] = {base: {} for base in wanted}

    def table_for(name: str, line: int) -> Table | None:
        for base, tables in found.items():
            prefix = name[: -len(base)]
            if name.lower().endswith(base) and (not prefix or prefix.endswith("_")):
                return tables.setdefault(name, Table(name, line))
        return None

    for base, tokens in statements(lines):
        head = tokens[0]
        line0 = base + head.line - 1
        keyword = head.text.upper()
        if head.token_type is TokenType.INSERT:
            position = 1
            while position < len(tokens) and tokens[position].token_type is not TokenType.INTO:
                position += 1
            name, position = _name_after(tokens, position + 1)
            table = table_for(name, line0) if name else None
            if table is None:
                continue
            columns = table.columns
            if position < len(tokens) and tokens[position].token_type is TokenType.L_PAREN:
                position += 1
                columns = []
                while (
                    position < len(tokens) and tokens[position].token_type is not TokenType.R_PAREN
                ):
                    if tokens[position].token_type in NAMES:
                        columns.append(tokens[position].text)
                    position += 1
                position += 1
            if position >= len(tokens) or tokens[position].text.upper() not in ("VALUES", "VALUE"):
                raise DumpProblem(line0, f"INSERT INTO {name} without VALUES is not supported")
            position += 1
            while True:
                line = base + tokens[position].line - 1 if position < len(tokens) else line0
                values, position = _tuple(tokens, position, base)
                if columns is not None and len(values) != len(columns):
                    raise DumpProblem(
                        line, f"a row of {name} has {len(values)} values for {len(columns)} columns"
                    )
                table.rows.append(
                    (line, dict(zip(columns, values, strict=True)) if columns else values)
                )
                if position >= len(tokens):
                    break
                if tokens[position].token_type is not TokenType.COMMA:
                    raise DumpProblem(line, f"unexpected {tokens[position].text!r} after a row")
                position += 1
        elif head.token_type is TokenType.CREATE and len(tokens) > 2:
            position = 2
            while position < len(tokens) and (
                tokens[position].token_type in (TokenType.NOT, TokenType.EXISTS)
                or tokens[position].text.upper() == "IF"
            ):
                position += 1
            name, position = _name_after(tokens, position)
            table = table_for(name, line0) if name else None
            if table is not None:
                table.columns = _columns_of_create(tokens, position)
        elif keyword in CHANGES:
            text = " ".join(token.text for token in tokens[1:6]).lower()
            for table_name in found:
                if table_name in text:
                    raise DumpProblem(
                        line0,
                        f"{keyword} on a {table_name} table: the dump must only insert its rows",
                    )
    return {base: list(tables.values()) for base, tables in found.items()}


def pick_table(tables: list[Table], base: str, prefix: str | None) -> Table | None:
    """The table meant: `<prefix><base>`; without a prefix, the only candidate."""
    if prefix is not None:
        return next((t for t in tables if t.name == prefix + base), None)
    if len(tables) > 1:
        where = ", ".join(f"{t.name} (line {t.line})" for t in tables)
        raise DumpProblem(
            tables[1].line,
            f"the dump has several {base} tables: {where}; say which with --table-prefix",
        )
    return tables[0] if tables else None
