"""Which WEERBAAR_* variables each process reads, taken from its pydantic settings classes.

Every process has landed: a config module that cannot be imported, or one without settings,
is an error here, never a reason to fall back to a hand-kept list.
"""

from __future__ import annotations

import importlib
import inspect
from functools import cache

from pydantic_settings import BaseSettings

from services.common.settings import FILE_SUFFIX, CommonSettings, FromFile

PROCESSES = ("gateway", "meldingen", "beveiliging", "kennisbank", "notificaties")
DEFAULT_PORTS = {
    "gateway": 8000,
    "meldingen": 8001,
    "beveiliging": 8002,
    "kennisbank": 8003,
    "notificaties": 8004,
}


def _settings_classes_in(module_name: str) -> tuple[type[BaseSettings], ...]:
    module = importlib.import_module(module_name)
    return tuple(
        value
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, BaseSettings) and value is not BaseSettings
    )


@cache
def settings_classes(process: str) -> tuple[type[BaseSettings], ...]:
    """The settings classes a process loads: its config.py, plus the common ones it uses."""
    if process == "gateway":
        # The gateway loads the identity settings only; storage is the services' concern.
        classes: tuple[type[BaseSettings], ...] = (
            *_settings_classes_in("gateway.config"),
            CommonSettings,
        )
    else:
        classes = _settings_classes_in(f"services.{process}.config")
    if not classes:
        raise AssertionError(f"{process} declares no settings class")
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


@cache
def env_names(process: str) -> frozenset[str]:
    """Every WEERBAAR_* name the process reads."""
    names: set[str] = set()
    for cls in settings_classes(process):
        names |= env_names_of(cls)
    return frozenset(names)


@cache
def required_env_names(process: str) -> frozenset[str]:
    names: set[str] = set()
    for cls in settings_classes(process):
        names |= required_env_names_of(cls)
    return frozenset(names)
