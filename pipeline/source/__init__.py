"""The master text: ``source/<doc>.md`` (Markdown with front matter and one
``::: disclaimer`` container) in, a :class:`~pipeline.source.document.Document` out:
ordered blocks, each with a stable id, a role and its source line."""
