"""
The fuzz gate: every public entry point, given any input, answers with our error or a valid
result, never anything else, and a refusal changes nothing.
"""
