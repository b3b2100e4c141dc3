"""Decode: the best sequence of readings for blocks of lines, and repair of whole texts.

Owns the search (beam, margins) and the writing back of words with their case and style. Imports
``restore.model``, ``restore.text`` and the top modules.
"""
