"""Names of the project's spaCy components and tokenizer, and their order.

One place for the strings a saved ``config.cfg`` refers to, so the factories, the
assembly of a pipeline (:mod:`pipeline.stages.assemble`) and tools that read a model
directory agree on them.
"""

from __future__ import annotations

from typing import Final

#: Registered name of the jieba tokenizer (``@tokenizers`` in a config).
TOKENIZER: Final = "zh_news.jieba_tokenizer.v1"
#: Dates the grammar is sure of, set before any NER component.
CLAIMS: Final = "zh_news_date_claims"
#: The bundled character tagger (PERSON, ORG, LOC).
NER: Final = "zh_news_ner"
#: The gazetteer and the guide's fixes, after any NER component.
RULES: Final = "zh_news_rules"
#: DATE entities and their normalized values, last.
DATES: Final = "zh_news_dates"

#: The bundled pipeline, in order.
BUNDLED_ORDER: Final = (CLAIMS, NER, RULES, DATES)
