"""Evaluation: CER and WER, alignment, one-sided and moved blocks, dispatch regions, the HTML
report and the regression gate over the samples.

The top stage of the library: it may import any other (the regression gate runs the pipeline).
"""
