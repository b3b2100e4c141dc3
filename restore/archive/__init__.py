"""What an archive keeps besides the text: each repaired word in the box of the ink it was read
from, written as hOCR and ALTO.

Sits beside `ocr`: it knows boxes and words, not how they were repaired; `run` hands it pages.
"""
