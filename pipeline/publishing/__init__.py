"""Publishing states: what a reader can have of each locale of each document.

:mod:`~pipeline.publishing.record` holds the states (published, published-older,
withdrawn, pending, withheld), the decision between them and ``output/published.json``;
:mod:`~pipeline.publishing.steps` is what a build publishes, keeps and takes down.
"""
