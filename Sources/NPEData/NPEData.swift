// NPEData: see docs/ARCHITECTURE.md.
