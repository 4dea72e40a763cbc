"""The base of every API schema.

PostgreSQL text cannot hold a NUL character, and no real name, address or code contains one, so
any string with a NUL is refused at the door with the field named, rather than failing in the
database.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, f"{path}.{i}" if path else str(i))]
    return []


class BaseSchema(ma.Schema):
    @ma.pre_load(pass_collection=True)
    def _refuse_nul_characters(self, data: Any, **_kwargs) -> Any:
        paths = _nul_paths(data, "")
        if paths:
            raise ma.ValidationError({p: ["Must not contain a NUL character"] for p in paths})
        return data
