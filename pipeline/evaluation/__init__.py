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

Validation of gold files (``check_gold``, DATE values) and running the pipeline on gold
texts (``predict``, ``evaluate``) live in :mod:`pipeline.evaluate`, which also re-exports
the public names of this package. Nothing here imports the pipeline at module level.
"""
