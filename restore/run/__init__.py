"""Run: one input end to end (OCR, repair, outputs), and batches of inputs with workers and resume.

Imports ``restore.ocr``, ``restore.decode``, ``restore.model``, ``restore.text`` and the top modules.
"""
