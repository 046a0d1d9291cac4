// NPERegistry: see docs/ARCHITECTURE.md.
