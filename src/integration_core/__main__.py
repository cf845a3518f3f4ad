"""``python -m integration_core`` runs the walkthrough demo."""

from integration_core._demo import main

if __name__ == "__main__":  # pragma: no cover - exercised through runpy in the tests
    main()
