"""Reading a service's URL map in tests: a path for any rule, with a value each converter accepts."""

from __future__ import annotations

from werkzeug.routing import AnyConverter, IntegerConverter, Rule


def example_path(rule: Rule) -> str:
    """The rule's path with a value each converter accepts (the record need not exist)."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            values[name] = 1
        else:
            values[name] = "a-token"
    return rule.build(values, append_unknown=False)[1]
