"""Training code for the bundled NER model (needs torch; never imported at run time)."""
