"""
Benchmarks for integration-core: ``python -m benchmarks`` prints one table.

Every ratio in the table is measured in the same process, as the best of several
repeats, so machine noise largely cancels out; absolute times vary from run to run.
``python -m benchmarks --smoke`` runs every benchmark once on tiny inputs, which is
what the test suite does so that the harness never rots.
"""
