"""
Test support for hosts: the repository contract kit and Hypothesis strategies.

:mod:`integration_core.testing.contract` needs ``pytest``;
:mod:`integration_core.testing.strategies` needs ``hypothesis`` (both in the
``testing`` extra). Nothing here is imported by the core.
"""
