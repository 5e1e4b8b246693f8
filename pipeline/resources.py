"""Finding and loading models: the bundled one, a path, or an installed spaCy pipeline."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.defaults import BUNDLED_MODEL
from pipeline.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

MODELS_ENV = "PIPELINE_MODELS_DIR"


def _installed_model_dir(name: str) -> Path | None:
    """The directory of a model installed as a package beside ``pipeline`` (wheel installs)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location)
        if (candidate / "config.cfg").is_file():
            return candidate.parent
    return None


def models_dir() -> Path:
    """Where bundled models live.

    In order: ``$PIPELINE_MODELS_DIR``; the project's ``models/`` (a checkout or an
    editable install); the directory holding the bundled model's installed package
    (``pip install .`` puts ``zh_news_ner`` beside ``pipeline`` in site-packages).
    """
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    checkout = here.parent / "models"
    if (checkout / BUNDLED_MODEL / "config.cfg").is_file():
        return checkout
    installed = _installed_model_dir(BUNDLED_MODEL)
    if installed is not None:
        return installed
    return checkout


def resolve_model(model: str | Path | None = None) -> str | Path:
    """What spaCy should load: a bundled model's path, a path, or a package name."""
    name = str(model) if model is not None else BUNDLED_MODEL
    if model is None or name == BUNDLED_MODEL or (models_dir() / name).is_dir():
        target = models_dir() / name
    elif Path(name).exists():
        target = Path(name)
    else:
        return name
    if not (target / "config.cfg").is_file():
        raise ModelNotFound(
            f"[E002] no spaCy pipeline at {target} (expected a config.cfg there); "
            f"run `make train` or pass --model with a path or an installed pipeline"
        )
    return target


def model_meta(model: str | Path | None = None) -> dict[str, Any] | None:
    """A model directory's meta.json without loading the model (None for packages)."""
    target = resolve_model(model)
    if isinstance(target, Path) and (target / "meta.json").is_file():
        meta: dict[str, Any] = json.loads((target / "meta.json").read_text(encoding="utf-8"))
        return meta
    return None


def load_pipeline(
    model: str | Path | None = None,
    *,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> Language:
    """Load a spaCy pipeline by bundled name, path, or installed package name.

    The pipeline is completed by :func:`pipeline.stages.assemble.assemble`: those
    that lack them get ``zh_news_date_claims`` first (sure dates are set before any NER
    component, which decodes around them), and the ``zh_news_rules`` (gazetteer) and
    ``zh_news_dates`` components appended, so every model follows the guide's
    conventions for listed names and yields DATE mentions with normalized values.

    ``settings`` overrides the config of components by name, e.g.
    ``{"zh_news_ner": {"batch_chars": 4096}}``; settings of a component the model
    does not have are ignored (the components added afterwards take their defaults).
    """
    import spacy

    from pipeline.stages.assemble import assemble, register

    register()  # the project's factories and tokenizer, before spaCy reads a config
    target = resolve_model(model)
    overrides = _overrides(target, settings or {})
    try:
        nlp = spacy.load(target, config=overrides)
    except OSError as e:
        raise ModelNotFound(
            f"[E003] cannot load model {str(model)!r}: not a bundled model ({models_dir()}), "
            f"not a path, and not an installed spaCy pipeline"
        ) from e
    return assemble(nlp)


def _overrides(target: str | Path, settings: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Dotted config overrides for the components of ``settings`` that ``target`` has."""
    if not settings:
        return {}
    names = _component_names(target)
    return {
        f"components.{name}.{key}": value
        for name, values in settings.items()
        if name in names
        for key, value in values.items()
    }


def _component_names(target: str | Path) -> set[str]:
    """Components named in a model's config.cfg (a directory, or an installed package)."""
    from spacy.util import get_package_path, load_config

    if isinstance(target, Path):
        configs = [target / "config.cfg"]
    else:
        try:
            root = get_package_path(target)
        except (ImportError, ValueError, OSError):
            return set()
        configs = [root / "config.cfg", *sorted(root.glob("*/config.cfg"))]
    for path in configs:
        if path.is_file():
            return set(load_config(path).get("components", {}))
    return set()
