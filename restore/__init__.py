"""vnrestore: clean Vietnamese from scanned dispatches and the garbled text OCR made of them.

The subpackages are the stages, from the bottom up; a stage imports only the stages below it
(tests/test_layout.py checks this):

- ``text``: characters and words of a line, with no data loaded;
- ``model``: the syllable inventory, language model, OCR channel and candidates, loaded once;
- ``decode``: the best reading of blocks of lines under the model;
- ``ocr``: page images and Tesseract;
- ``run``: one input end to end, and batches of them;
- ``evaluation``: scores against gold copies, reports, the regression gate.

``errors`` (exceptions with exit codes) and ``paths`` (where the data lives) serve every stage.
"""
