"""Model: the syllable inventory, the language model, the OCR channel, candidates and the loaded resources.

Owns the data built by ``vnrestore lexicon`` and what is computed from it for one token: which
syllables an OCR token may stand for and at what price. Imports ``restore.text`` and the top modules.
"""
