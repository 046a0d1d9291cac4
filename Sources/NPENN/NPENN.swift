// NPENN: see docs/ARCHITECTURE.md.
