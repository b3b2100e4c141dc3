"""Text: normalization, orthography, tokens, acronyms, specks, headings, legacy encodings, text files.

Owns everything that can be said of a line of characters without a model: Unicode forms and tone
placement, which strings are Vietnamese syllables, how a line splits into tokens. Imports only
``restore.errors`` and ``restore.paths``.
"""
