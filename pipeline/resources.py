"""Finding and loading models: the bundled one, a path, or an installed spaCy pipeline."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from spacy.language import Language

from pipeline.errors import ModelNotFound

logger = logging.getLogger(__name__)

BUNDLED_MODEL = "zh_news_ner"
MODELS_ENV = "PIPELINE_MODELS_DIR"


def models_dir() -> Path:
    """Where bundled models live: ``$PIPELINE_MODELS_DIR`` or the project's ``models/``."""
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "models", here / "models"):
        if candidate.is_dir():
            return candidate
    return here.parent / "models"


def model_path(name: str = BUNDLED_MODEL) -> Path:
    """Path of a bundled model by name."""
    return models_dir() / name


def load_pipeline(model: str | Path | None = None) -> Language:
    """Load a spaCy pipeline by bundled name, path, or installed package name.

    Pipelines that lack them get the ``zh_news_rules`` (gazetteer) and
    ``zh_news_dates`` components appended, so every model follows the guide's
    conventions for listed names and yields DATE mentions with normalized values.
    """
    import spacy

    # Register the project's factories and tokenizer before spaCy reads a config.
    import pipeline.stages.dates_component
    import pipeline.stages.ner
    import pipeline.stages.rules
    import pipeline.stages.segment  # noqa: F401

    name = str(model) if model is not None else BUNDLED_MODEL
    candidates: list[str | Path] = []
    if model is None or name == BUNDLED_MODEL or (models_dir() / name).is_dir():
        candidates.append(models_dir() / name)
    elif Path(name).exists():
        candidates.append(Path(name))
    else:
        candidates.append(name)
    target = candidates[0]
    if isinstance(target, Path) and not (target / "config.cfg").is_file():
        raise ModelNotFound(
            f"[E002] no spaCy pipeline at {target} (expected a config.cfg there); "
            f"run `make train` or pass --model with a path or an installed pipeline"
        )
    try:
        nlp = spacy.load(target)
    except OSError as e:
        raise ModelNotFound(
            f"[E003] cannot load model {name!r}: not a bundled model ({models_dir()}), "
            f"not a path, and not an installed spaCy pipeline"
        ) from e
    from pipeline.stages.dates_component import COMPONENT as DATES
    from pipeline.stages.rules import COMPONENT as RULES

    if RULES not in nlp.pipe_names:
        if DATES in nlp.pipe_names:
            nlp.add_pipe(RULES, before=DATES)
        else:
            nlp.add_pipe(RULES, last=True)
    if DATES not in nlp.pipe_names:
        nlp.add_pipe(DATES, last=True)
    return nlp
