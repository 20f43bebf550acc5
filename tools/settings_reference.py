"""Render every `WEERBAAR_*` setting from the pydantic settings classes into docs/settings.md.

The settings classes are the one source: name, type and default come from the fields, the
meaning from each field's attribute docstring (`use_attribute_docstrings=True`) or its
`Field(description=...)`. A field without a meaning stops the generator: an undocumented
setting is a defect, not a blank cell.

    python -m tools.settings_reference          # rewrite docs/settings.md
    python -m tools.settings_reference --check  # exit 1 when docs/settings.md is stale
"""

from __future__ import annotations

import argparse
import enum
import inspect
import json
import os
import sys
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import annotated_types
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

from devidp.config import DevIdpSettings
from gateway.config import GatewaySettings
from services.beveiliging.config import BeveiligingSettings
from services.common.settings import FILE_SUFFIX, CommonSettings, FromFile, ServiceSettings
from services.kennisbank.config import KennisbankSettings
from services.meldingen.config import MeldingenSettings
from services.notificaties.config import NotificatiesSettings

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "settings.md"
COMMAND = "python -m tools.settings_reference"


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    cls: type[BaseSettings]


SECTIONS: tuple[Section, ...] = (
    Section(
        "Every process",
        "Read by the gateway and every service (`services/common/settings.py`, CommonSettings).",
        CommonSettings,
    ),
    Section(
        "Every service",
        "Storage, encryption and events, read by each service besides the above (ServiceSettings).",
        ServiceSettings,
    ),
    Section("meldingen", "`services/meldingen/config.py`.", MeldingenSettings),
    Section("beveiliging", "`services/beveiliging/config.py`.", BeveiligingSettings),
    Section("kennisbank", "`services/kennisbank/config.py`.", KennisbankSettings),
    Section("notificaties", "`services/notificaties/config.py`.", NotificatiesSettings),
    Section(
        "gateway",
        "`gateway/config.py`; the gateway also reads the identity settings of every process "
        "(the OIDC ones above). Where a name appears in both, the gateway's own default is the "
        "one that applies to it.",
        GatewaySettings,
    ),
    Section(
        "devidp",
        "`devidp/config.py`: the development identity provider, never run in production.",
        DevIdpSettings,
    ),
)


class UndocumentedSetting(ValueError):
    """A settings field without a docstring or description."""


def own_fields(cls: type[BaseSettings]) -> list[tuple[str, FieldInfo]]:
    """The fields `cls` itself declares (an override of an inherited one counts)."""
    declared = inspect.get_annotations(cls)
    return [(name, field) for name, field in cls.model_fields.items() if name in declared]


def env_name(cls: type[BaseSettings], name: str) -> str:
    return f"{cls.model_config.get('env_prefix', '')}{name}".upper()


def meaning(cls: type[BaseSettings], name: str, field: FieldInfo) -> str:
    text = " ".join((field.description or "").split())
    if not text:
        raise UndocumentedSetting(
            f"{cls.__module__}.{cls.__name__}.{name} ({env_name(cls, name)}) has no meaning: "
            "give it an attribute docstring (or Field(description=...))"
        )
    return text


def type_name(annotation: object) -> str:
    if annotation is None or annotation is type(None):
        return "None"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(f"`{member.value}`" for member in annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(type_name(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return type_name(typing.get_args(annotation)[0])
    if origin is not None:
        args = ", ".join(type_name(arg) for arg in typing.get_args(annotation))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


BOUNDS = (
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Le, "le", "≤"),
    (annotated_types.Lt, "lt", "<"),
)


def bounds(field: FieldInfo) -> str:
    """`Field(ge=1, le=1000)` as `≥ 1, ≤ 1000`."""
    return ", ".join(
        f"{sign} {getattr(meta, attribute)}"
        for meta in field.metadata
        for kind, attribute, sign in BOUNDS
        if isinstance(meta, kind)
    )


def default_value(field: FieldInfo) -> object:
    if field.default_factory is not None:
        return field.default_factory()  # type: ignore[call-arg]
    return None if field.default is PydanticUndefined else field.default


def render_value(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, Path):
        text = value.relative_to(ROOT).as_posix() if value.is_absolute() else value.as_posix()
    elif isinstance(value, list | tuple):
        if not value:
            return "empty"
        text = ", ".join(str(item) for item in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif value == "":
        return "empty"
    else:
        text = str(value)
    return f"`{text}`"


def _cell(text: str) -> str:
    return text.replace("\\|", "|").replace("|", "\\|")


def rows(cls: type[BaseSettings]) -> Iterable[str]:
    for name, field in own_fields(cls):
        variable = env_name(cls, name)
        secret = any(isinstance(meta, FromFile) for meta in field.metadata)
        names = f"`{variable}`" + (f"<br>`{variable}{FILE_SUFFIX}`" if secret else "")
        kind = type_name(field.annotation)
        limits = bounds(field)
        if limits:
            kind += f" ({limits})"
        text = meaning(cls, name, field)
        yield f"| {names} | {kind} | {_cell(render_value(default_value(field)))} | {_cell(text)} |"


def render() -> str:
    out = [
        "# Settings reference",
        "",
        f"<!-- Generated by `{COMMAND}` from the settings classes; do not edit by hand. -->",
        "",
        "Every setting is an environment variable prefixed `WEERBAAR_`. A secret one (listed",
        f"with its `{FILE_SUFFIX}` twin) can also be given as a file:",
        f"`WEERBAAR_<NAME>{FILE_SUFFIX}` names a file whose content is the value (a mounted",
        "Kubernetes or Docker secret), read once at start with one trailing newline dropped;",
        "setting both, or an unreadable or empty file, refuses to start. Lists are",
        "comma-separated (the gateway's also accept a JSON list); mappings are JSON.",
        "",
    ]
    for section in SECTIONS:
        out += [
            f"## {section.title}",
            "",
            section.intro,
            "",
            "| variable | type | default | meaning |",
            "| --- | --- | --- | --- |",
            *rows(section.cls),
            "",
        ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{os.path.relpath(OUTPUT, ROOT)} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {os.path.relpath(OUTPUT, ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
