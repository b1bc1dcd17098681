"""Small queries compiled once per process and database, then run with new values.

Building and compiling even a one-row query through the ORM costs several times what running
it does. A path that runs the same few small reads on every request (the web form's intake:
the form by its key, the custom fields, the duplicate check) compiles each once and binds its
values anew, and still gets what the ORM gives: model instances with their `select_related`
objects and annotations, or the converted rows of a `values_list`.

A query is declared with `build(*marks)`, a function returning the queryset for the mark
values; each mark must come through unchanged as exactly one parameter of the compiled SQL
(an exact match or an `IN` member; a lookup that rewrites its value, as `iexact` or
`contains` do, is refused when compiled). Marks are values no row holds: a negative id, or a
string with a NUL character.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class _Compiled:
    """One query's SQL for one database, where each mark's value goes, and how rows become results."""

    def __init__(self, queryset: QuerySet, marks: tuple[Any, ...]) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self.slots = [self._slot(mark) for mark in marks]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = [(position, *functions) for position, functions in compiler.get_converters(fields).items()]
        self.model: type[Model] | None = None
        if issubclass(queryset._iterable_class, ModelIterable):
            klass_info, select = compiler.klass_info, compiler.select
            self.model = klass_info["model"]
            positions = klass_info["select_fields"]
            self.start, self.end = positions[0], positions[-1] + 1
            self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
            self.populators = get_related_populators(klass_info, select, queryset.db)
            self.annotations = list((compiler.annotation_col_map or {}).items())

    def _slot(self, mark: Any) -> int:
        found = [i for i, value in enumerate(self.params) if value.__class__ is mark.__class__ and value == mark]
        if len(found) != 1:
            raise ValueError(f"a prepared query must take its mark {mark!r} once, unchanged")
        return found[0]


class PreparedQuery:
    """A queryset of `build(*marks)`, compiled on first use for each database it runs on."""

    def __init__(self, build: Callable[..., QuerySet], *marks: Any) -> None:
        self.build, self.marks = build, marks
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, using: str | None) -> tuple[_Compiled, str]:
        queryset = self.build(*self.marks)
        alias = using or queryset.db
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = _Compiled(queryset.using(alias), self.marks)
        return compiled, alias

    def rows(self, *values: Any, using: str | None = None) -> list[tuple]:
        """The rows with `values` in the marks' places, converted as the ORM converts them."""
        compiled, alias = self._compiled_for(using)
        return self._rows(compiled, alias, values)

    def objects(self, *values: Any, using: str | None = None) -> list[Any]:
        """The model instances of a model queryset, with its related objects and annotations."""
        compiled, alias = self._compiled_for(using)
        if compiled.model is None:
            raise TypeError("objects() needs a queryset of model instances")
        result = []
        for row in self._rows(compiled, alias, values):
            instance = compiled.model.from_db(alias, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations:
                setattr(instance, name, row[position])
            result.append(instance)
        return result

    def first(self, *values: Any, using: str | None = None) -> Any:
        """The first model instance `objects` gives, or None (for a queryset sliced to one row)."""
        found = self.objects(*values, using=using)
        return found[0] if found else None

    def _compiled_for(self, using: str | None) -> tuple[_Compiled, str]:
        if using is None and len(self._compiled) == 1:
            # The usual case, one database: no queryset to build for the router.
            (alias, compiled), *_ = self._compiled.items()
            return compiled, alias
        return self._for(using)

    @staticmethod
    def _rows(compiled: _Compiled, alias: str, values: tuple[Any, ...]) -> list[tuple]:
        params = compiled.params.copy()
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return converted_rows(rows, compiled.converters, connection)


def converted_rows(
    rows: list[tuple], converters: Sequence[tuple[int, Sequence[Callable[..., Any]], Any]], connection: Any
) -> list[tuple]:
    """`rows` with each (position, functions, expression) column's value passed through its
    converters, as the ORM converts what the database returns (JSON text, SQLite's datetimes)."""
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted
