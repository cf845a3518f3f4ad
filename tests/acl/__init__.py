"""Tests of integration_core.acl."""
