"""The bundled character NER model (numpy inference)."""

from pipeline.model.tagger import CharTagger

__all__ = ["CharTagger"]
