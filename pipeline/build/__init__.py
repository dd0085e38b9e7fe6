"""The build: every document × every configured language, made once.

:mod:`~pipeline.build.plan` resolves every input and output path once;
:mod:`~pipeline.build.outputs` is the one interface every output (page, audio, talking
book, handout, pack) implements; :mod:`~pipeline.build.freshness` is the one rule that
says whether files are up to date; :mod:`~pipeline.build.run` walks the plan and the
list of outputs for each locale that passed the gate, then writes the index and the
reading-level report.
"""
