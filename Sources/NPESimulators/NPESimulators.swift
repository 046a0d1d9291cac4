// NPESimulators: see docs/ARCHITECTURE.md.
