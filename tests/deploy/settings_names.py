"""Which WEERBAAR_* variables each process reads, taken from its pydantic settings classes.

Falls back to the table in docs/CONVENTIONS.md for a process whose code has
not landed yet, so the deployment tests work against the code as it grows.
"""

from __future__ import annotations

import importlib
import inspect
import re
from functools import cache

from pydantic_settings import BaseSettings

from services.common.settings import FILE_SUFFIX, FromFile
from tests.deploy.support import ROOT

PROCESSES = ("gateway", "meldingen", "beveiliging", "kennisbank", "notificaties")
DEFAULT_PORTS = {
    "gateway": 8000,
    "meldingen": 8001,
    "beveiliging": 8002,
    "kennisbank": 8003,
    "notificaties": 8004,
}


def _settings_classes_in(module_name: str) -> list[type[BaseSettings]]:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return []
        raise
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, BaseSettings) and value is not BaseSettings
    ]


@cache
def settings_classes(process: str) -> tuple[type[BaseSettings], ...]:
    """The settings classes a process loads: its config.py, plus the common ones it uses."""
    if process == "gateway":
        classes = _settings_classes_in("gateway.config")
        app = ROOT / "gateway" / "app.py"
        if app.exists() and "CommonSettings" in app.read_text(encoding="utf-8"):
            # The gateway loads the identity settings only; storage is the services' concern.
            classes += tuple(
                cls
                for cls in _settings_classes_in("services.common.settings")
                if cls.__name__ == "CommonSettings"
            )
    else:
        classes = _settings_classes_in(f"services.{process}.config")
        if not classes:
            classes = _settings_classes_in("services.common.settings")
    return tuple(dict.fromkeys(classes))


def env_names_of(cls: type[BaseSettings]) -> set[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    names = set()
    for name, field in cls.model_fields.items():
        names.add(f"{prefix}{name}".upper())
        if any(isinstance(meta, FromFile) for meta in field.metadata):
            names.add(f"{prefix}{name}{FILE_SUFFIX}".upper())
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias.upper())
    return names


def required_env_names_of(cls: type[BaseSettings]) -> set[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name, f in cls.model_fields.items() if f.is_required()}


def _conventions_names() -> set[str]:
    text = (ROOT / "docs" / "CONVENTIONS.md").read_text(encoding="utf-8")
    return set(re.findall(r"`(WEERBAAR_[A-Z_]+)`", text))


@cache
def env_names(process: str) -> frozenset[str]:
    """Every WEERBAAR_* name the process reads (CONVENTIONS.md until its code exists)."""
    classes = settings_classes(process)
    if not classes:
        return frozenset(_conventions_names())
    names: set[str] = set()
    for cls in classes:
        names |= env_names_of(cls)
    return frozenset(names)


@cache
def required_env_names(process: str) -> frozenset[str]:
    names: set[str] = set()
    for cls in settings_classes(process):
        names |= required_env_names_of(cls)
    return frozenset(names)
