"""Test helpers shared by every app's tests (STYLE.md conventions 10-12). Not collected by pytest."""
