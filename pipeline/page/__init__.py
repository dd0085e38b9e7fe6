"""The large-print page: a checked, translated Document in, one self-contained HTML
file out (templates, safe inline Markdown), and ``output/index.html`` over all of them."""
