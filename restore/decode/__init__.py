"""Decode: the best sequence of readings for blocks of lines, and repair of whole texts.

Owns the search over the lattice (beam, margins; where tokens are cut or joined), the writing
back of words with their case and style, and the garbles a batch teaches the next one. Imports
``restore.model``, ``restore.text`` and the top modules.
"""
