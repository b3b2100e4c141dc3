"""OCR: input kinds and page images, the Tesseract wrapper, synthetic scans.

Owns everything between a file on disk and Tesseract's words: what kind of input a file is, its
pages, the probe of the installed Tesseract. Imports ``restore.text`` and the top modules, never
the model or the decoder.
"""
