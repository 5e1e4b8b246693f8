"""One evaluation and corpus layer: gold formats and readers, label maps, scoring, gate.

Used by ``pipeline eval`` (through :mod:`pipeline.evaluate`), by training
(:mod:`pipeline.training.data`, ``train``, ``measure``, ``fixtures_eval``) and by the
scripts (``eval_all.py``, ``bench.py``, ``compare_jionlp.py``), so that a corpus is read,
mapped and scored one way everywhere.

- :mod:`.labels`   every label map (corpus tags and peer tools → the guide's labels)
- :mod:`.gold`     the project's gold JSONL (models, reading, writing, predictions files)
- :mod:`.formats`  the other corpus formats: tagged tokens (BIO/BIOES characters, IOB2
  words), CLUENER JSON; tags → spans once; the s2tw conversion once
- :mod:`.corpora`  the named sets under ``../shared/corpora`` (MSRA dev split, People's
  Daily dev without its MSRA overlap, CLUENER, Universal NER)
- :mod:`.scoring`  strict mention scoring (ANNOTATION.md "Scoring"), span P/R/F1, id overlap
- :mod:`.gate`     the regression gate: scores against a committed baseline

The fifth gold source, the standoff annotation store of in-domain articles (no text;
rebuilt from ../shared), is read by :func:`pipeline.annotations.store.load_annotations`
into the same :class:`~pipeline.evaluation.gold.GoldDoc`.

Validation of gold files (``check_gold``, DATE values) and running the pipeline on gold
texts (``predict``, ``evaluate``) live in :mod:`pipeline.evaluate`, which also re-exports
the public names of this package. Importing this package loads neither spaCy nor the
model nor OpenCC (the s2tw converter is built on first use).

Adding a corpus: a reader in :mod:`.formats` that yields :class:`~.formats.Tagged`
sentences with the source's types, its label map in :mod:`.labels`, its files and split
in :mod:`.corpora`; evaluation and training then get it the same way.
"""
