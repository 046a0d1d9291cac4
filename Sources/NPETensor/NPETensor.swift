// NPETensor: see docs/ARCHITECTURE.md.
