"""In-domain standoff annotations: store, text rebuilding from ../shared, checks, selection.

The annotations name news_unlabeled articles by id and hold offsets, labels and DATE
values only; the text is rebuilt from ../shared/corpora/news_unlabeled and verified by
its SHA-256, so no article text ever enters the repository.
"""
